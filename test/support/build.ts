/**
 * A compiled copy of Factdesk for the tests that start it as a child process, run with plain node
 * as `npm start` runs dist/. Starting the sources under tsx's loader took about twice the CPU of
 * starting compiled JavaScript (every module resolved and loaded through the loader's thread), and
 * the test suite starts over a dozen such processes on a 2-core machine.
 *
 * The copy is made file by file with TypeScript's transpileModule and tsconfig.build.json's options
 * (the same output as `npm run build`, without its type check, which `npm test` runs anyway), into
 * node_modules/.cache. A file is compiled again only when its source is newer, and outputs whose
 * source is gone are removed. The packages the copy imports are loaded from bundles made beside it
 * (vendor.ts): a process then starts with about a quarter less CPU.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleVendor, isVendored, vendorFileName } from './vendor.ts';

/** Where the compiled copy goes, mirroring the project's layout (src/main.ts → src/main.js). */
export function builtRoot(repoRoot: string): string {
  return path.join(repoRoot, 'node_modules', '.cache', 'factdesk-built');
}

/** The compiled copy of a project file: `src/main.ts` → `<builtRoot>/src/main.js`. */
export function builtFile(repoRoot: string, file: string): string {
  return path.join(builtRoot(repoRoot), file.replace(/\.ts$/u, '.js'));
}

/** What one build did. */
export interface BuildSummary {
  readonly compiled: number;
  readonly unchanged: number;
  readonly removed: number;
  /** Packages bundled again (see vendor.ts); 0 when their bundles were up to date. */
  readonly bundled: number;
}

/**
 * Brings the compiled copy up to date with the sources tsconfig.build.json covers, and `extra`
 * files (paths relative to `repoRoot`) that are not part of the build: test entrypoints.
 */
export async function buildForTests(repoRoot: string, extra: readonly string[] = []): Promise<BuildSummary> {
  // Loaded here, not at the top: the test files that only need builtFile() skip loading TypeScript.
  const { default: ts } = await import('typescript');
  const configFile = path.join(repoRoot, 'tsconfig.build.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`could not read ${configFile}`);
  if (parsed.errors.length > 0) throw new Error(parsed.errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n')).join('\n'));
  // transpileModule sees one file, not package.json's "type": "module", so it is told ESM outright.
  const options: import('typescript').CompilerOptions = {
    ...parsed.options,
    module: ts.ModuleKind.ESNext,
    noEmit: false,
    declaration: false,
  };
  const root = builtRoot(repoRoot);
  const wanted = new Set<string>();
  let compiled = 0;
  let unchanged = 0;
  // tsc copies the JSON files the code imports (answer models, ranker weights) beside the output.
  const jsonFiles = (await Promise.all(Object.keys(parsed.wildcardDirectories ?? {}).map(jsonUnder))).flat();
  const tsFiles = [...parsed.fileNames.filter((f) => !f.endsWith('.d.ts')), ...extra.map((f) => path.join(repoRoot, f))];
  // The packages the sources import, each loaded from one bundle (vendor.ts).
  const vendorDir = path.join(root, 'vendor');
  const specifiers = await Promise.all(
    tsFiles.map(async (f) => ts.preProcessFile(await readFile(f, 'utf8'), true, true).importedFiles.map((i) => i.fileName)),
  );
  const vendor = await bundleVendor(repoRoot, vendorDir, specifiers.flat());
  for (const file of vendor.files) wanted.add(path.join(vendorDir, file));
  for (const source of [...tsFiles, ...jsonFiles]) {
    const relative = path.relative(repoRoot, source);
    const isTs = relative.endsWith('.ts');
    const target = isTs ? builtFile(repoRoot, relative) : path.join(root, relative);
    wanted.add(target);
    const [from, to] = await Promise.all([stat(source), stat(target).catch(() => null)]);
    // New bundles may be of other packages than the files' imports point at: all are compiled again.
    if (to && to.mtimeMs >= from.mtimeMs && !vendor.rebuilt) {
      unchanged++;
      continue;
    }
    const text = await readFile(source, 'utf8');
    const toVendor = vendorImports(ts, path.relative(path.dirname(target), vendorDir));
    const output = isTs
      ? ts.transpileModule(text, { compilerOptions: options, fileName: source, transformers: { after: [toVendor] } }).outputText
      : text;
    await mkdir(path.dirname(target), { recursive: true });
    // Written aside and renamed, so a process started meanwhile never reads half a file.
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, output);
    await rename(temporary, target);
    compiled++;
  }
  let removed = 0;
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && !wanted.has(file)) {
      await rm(file, { force: true });
      removed++;
    }
  }
  return { compiled, unchanged, removed, bundled: vendor.bundled };
}

/**
 * Points imports of bundled packages (static, re-exports and `import()` with a literal) at their
 * bundle in the vendor folder, `vendorPath` relative to the output file's folder.
 */
function vendorImports(
  ts: typeof import('typescript'),
  vendorPath: string,
): import('typescript').TransformerFactory<import('typescript').SourceFile> {
  return (context) => (file) => {
    const { factory } = context;
    const target = (specifier: import('typescript').Expression): import('typescript').StringLiteral | null => {
      if (!ts.isStringLiteral(specifier) || !isVendored(specifier.text)) return null;
      const relative = path.posix.join(vendorPath.split(path.sep).join('/'), vendorFileName(specifier.text));
      return factory.createStringLiteral(relative.startsWith('.') ? relative : `./${relative}`);
    };
    const visit = (node: import('typescript').Node): import('typescript').Node => {
      if (ts.isImportDeclaration(node)) {
        const to = target(node.moduleSpecifier);
        if (to) return factory.updateImportDeclaration(node, node.modifiers, node.importClause, to, node.attributes);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
        const to = target(node.moduleSpecifier);
        if (to) return factory.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, to, node.attributes);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) {
        const to = target(node.arguments[0]);
        if (to) return factory.updateCallExpression(node, node.expression, node.typeArguments, [to, ...node.arguments.slice(1)]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitEachChild(file, visit, context);
  };
}

async function jsonUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => path.join(e.parentPath, e.name));
}
