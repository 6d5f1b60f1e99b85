/**
 * The compiled copy the child-process tests run must follow the sources: a changed file compiled
 * again, a deleted one gone, imports pointing at .js, JSON copied, types erased.
 */
import { mkdtemp, readFile, rm, utimes, writeFile, mkdir, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
    expect(await buildForTests(root)).toEqual({ compiled: 3, unchanged: 0, removed: 0 });
    expect(await built('src/a.ts')).toBe(
      "import { b } from \"./b.js\";\nimport w from './w.json' with { type: 'json' };\nexport const a = b + w.x;\n",
    );
    expect(await built('src/b.ts')).toBe('export const b = 1;\n');
    expect(await readFile(path.join(builtRoot(root), 'src/w.json'), 'utf8')).toBe('{ "x": 2 }\n');
  });

  it('compiles again only what changed, and removes what was deleted', async () => {
    expect(await buildForTests(root)).toEqual({ compiled: 0, unchanged: 3, removed: 0 });
    await write('src/b.ts', 'export const b = 5;\n');
    await rm(path.join(root, 'src/w.json'));
    await write('src/a.ts', "export { b as a } from './b.ts';\n");
    expect(await buildForTests(root)).toEqual({ compiled: 2, unchanged: 0, removed: 1 });
    expect(await built('src/b.ts')).toBe('export const b = 5;\n');
    expect(await built('src/a.ts')).toBe('export { b as a } from "./b.js";\n');
    await expect(access(path.join(builtRoot(root), 'src/w.json'))).rejects.toThrow('ENOENT');
  });
});
