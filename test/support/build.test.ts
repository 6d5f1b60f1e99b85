/**
 * The compiled copy the child-process tests run must follow the sources: a changed file compiled
 * again, a deleted one gone, imports pointing at .js, JSON copied, types erased, packages loaded
 * from bundles that export what Node gives.
 */
import { mkdtemp, readFile, rm, utimes, writeFile, mkdir, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildForTests, builtFile, builtRoot } from './build.ts';

describe('buildForTests', () => {
  let root: string;
  const write = async (file: string, text: string, secondsAgo = 0): Promise<void> => {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
    const when = new Date(Date.now() - secondsAgo * 1000);
    await utimes(path.join(root, file), when, when);
  };
  const built = (file: string): Promise<string> => readFile(builtFile(root, file), 'utf8');

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'factdesk-build-'));
    await write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', strict: true, resolveJsonModule: true } }));
    await write(
      'tsconfig.build.json',
      JSON.stringify({ extends: './tsconfig.json', compilerOptions: { rewriteRelativeImportExtensions: true }, include: ['src'] }),
    );
    await write(
      'src/a.ts',
      "import { b } from './b.ts';\nimport w from './w.json' with { type: 'json' };\nexport const a: number = b + w.x;\n",
      60,
    );
    await write('src/b.ts', 'export type B = number;\nexport const b: B = 1;\n', 60);
    await write('src/w.json', '{ "x": 2 }\n', 60);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('compiles every source to ESM JavaScript with .js imports, and copies JSON', async () => {
    expect(await buildForTests(root)).toEqual({ compiled: 3, unchanged: 0, removed: 0, bundled: 0 });
    expect(await built('src/a.ts')).toBe(
      "import { b } from \"./b.js\";\nimport w from './w.json' with { type: 'json' };\nexport const a = b + w.x;\n",
    );
    expect(await built('src/b.ts')).toBe('export const b = 1;\n');
    expect(await readFile(path.join(builtRoot(root), 'src/w.json'), 'utf8')).toBe('{ "x": 2 }\n');
  });

  it('compiles again only what changed, and removes what was deleted', async () => {
    expect(await buildForTests(root)).toEqual({ compiled: 0, unchanged: 3, removed: 0, bundled: 0 });
    await write('src/b.ts', 'export const b = 5;\n');
    await rm(path.join(root, 'src/w.json'));
    await write('src/a.ts', "export { b as a } from './b.ts';\n");
    expect(await buildForTests(root)).toEqual({ compiled: 2, unchanged: 0, removed: 1, bundled: 0 });
    expect(await built('src/b.ts')).toBe('export const b = 5;\n');
    expect(await built('src/a.ts')).toBe('export { b as a } from "./b.js";\n');
    await expect(access(path.join(builtRoot(root), 'src/w.json'))).rejects.toThrow('ENOENT');
  });

  it('loads packages from bundles that export what Node gives them, shared code once, made again only when they change', async () => {
    // An ES module package, a CommonJS one (named exports Node finds in its source, module.exports as
    // default), both using a third, and a package imported for its types only.
    await write('node_modules/esm-pkg/package.json', JSON.stringify({ name: 'esm-pkg', type: 'module', exports: './index.js' }));
    await write(
      'node_modules/esm-pkg/index.js',
      "import { counter } from 'shared-pkg';\nexport const hello = 'hi';\nexport default counter;\n",
    );
    await write('node_modules/cjs-pkg/package.json', JSON.stringify({ name: 'cjs-pkg', main: 'index.js' }));
    await write(
      'node_modules/cjs-pkg/index.js',
      "const shared = require('shared-pkg');\nexports.counter = shared.counter;\nexports.name = 'cjs';\ntry { require('not-installed'); } catch { exports.optional = false; }\n",
    );
    // CommonJS compiled from an ES module marks itself __esModule: Node still gives module.exports as
    // default (a bundler's interop gives exports.default, which here is absent or another value).
    const marked = "Object.defineProperty(exports, '__esModule', { value: true });\nexports.name = 'marked';\n";
    await write('node_modules/marked-pkg/package.json', JSON.stringify({ name: 'marked-pkg', main: 'index.js' }));
    await write('node_modules/marked-pkg/index.js', marked);
    await write('node_modules/marked-default-pkg/package.json', JSON.stringify({ name: 'marked-default-pkg', main: 'index.js' }));
    await write('node_modules/marked-default-pkg/index.js', `${marked}exports.default = 'its own';\n`);
    await write('node_modules/shared-pkg/package.json', JSON.stringify({ name: 'shared-pkg', main: 'index.js' }));
    await write('node_modules/shared-pkg/index.js', 'exports.counter = { n: 0 };\n');
    await write(
      'src/uses.ts',
      "import type { Nothing } from 'types-only';\nimport counter, { hello } from 'esm-pkg';\nimport cjs, { name } from 'cjs-pkg';\n" +
        "export const same: boolean = counter === cjs.counter;\nexport const words: string = `${hello} ${name}`;\nexport const later = () => import('cjs-pkg');\n" +
        "export type N = Nothing;\nexport { default as marked } from 'marked-pkg';\nexport { default as markedDefault } from 'marked-default-pkg';\n",
    );
    expect(await buildForTests(root)).toMatchObject({ compiled: 3, bundled: 4 });
    expect(await built('src/uses.ts')).toContain(
      'import counter, { hello } from "../vendor/esm-pkg.js";\nimport cjs, { name } from "../vendor/cjs-pkg.js";',
    );
    expect(await built('src/uses.ts')).toContain('import("../vendor/cjs-pkg.js")');
    const bundled = async (name: string): Promise<Record<string, unknown>> => ({
      ...((await import(pathToFileURL(path.join(builtRoot(root), 'vendor', `${name}.js`)).href)) as object),
    });
    const original = async (name: string): Promise<Record<string, unknown>> => ({
      ...((await import(pathToFileURL(path.join(root, 'node_modules', name, 'index.js')).href)) as object),
    });
    expect(await bundled('esm-pkg')).toEqual(await original('esm-pkg'));
    expect(Object.keys(await bundled('cjs-pkg')).sort()).toEqual(Object.keys(await original('cjs-pkg')).sort());
    expect(await bundled('cjs-pkg')).toMatchObject({ name: 'cjs', optional: false, default: { name: 'cjs', optional: false } });
    // Compared in plain node (one process for all): vitest's own interop gives a CommonJS module's
    // exports another shape.
    const names = ['marked-pkg', 'marked-default-pkg', 'cjs-pkg', 'esm-pkg'];
    const files = names.flatMap((name) => [
      path.join(builtRoot(root), 'vendor', `${name}.js`),
      path.join(root, 'node_modules', name, 'index.js'),
    ]);
    const script = `const out = [];
      for (const file of ${JSON.stringify(files.map((file) => pathToFileURL(file).href))}) {
        const m = await import(file);
        out.push({ names: Object.keys(m).sort(), default: m.default });
      }
      process.stdout.write(JSON.stringify(out));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
    const seen = JSON.parse(stdout) as unknown[];
    const [bundle, inPackage] = [(i: number): unknown => seen[2 * i], (i: number): unknown => seen[2 * i + 1]];
    expect(inPackage(0)).toEqual({ names: ['__esModule', 'default', 'name'], default: { name: 'marked' } });
    expect(inPackage(1)).toMatchObject({ default: { name: 'marked', default: 'its own' } });
    names.forEach((name, i) => {
      expect(bundle(i), name).toEqual(inPackage(i));
    });
    const uses = (await import(pathToFileURL(builtFile(root, 'src/uses.ts')).href)) as Record<string, unknown>;
    expect(uses).toMatchObject({ same: true, words: 'hi cjs', marked: { name: 'marked' }, markedDefault: { default: 'its own' } });
    expect(await buildForTests(root)).toMatchObject({ compiled: 0, bundled: 0 });
    // A new lockfile: bundles and files made again.
    await write('package-lock.json', '{}');
    expect(await buildForTests(root)).toMatchObject({ compiled: 3, unchanged: 0, bundled: 4 });
  });
});
