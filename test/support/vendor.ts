/**
 * The packages the compiled copy imports, each bundled into one file (test/support/build.ts points
 * the copy's imports at them). A Factdesk process loads some 1,500 package modules (compromise alone
 * 436, chrono-node 266, discord.js over 200), and on Node 20, which has no compile cache, resolving,
 * reading and compiling them one by one was about 40% of a bot's start-up CPU; the end-to-end tests
 * start some twenty processes. Only how the packages are loaded changes: the bundles export exactly
 * the names Node gives each package, and the sources are compiled file by file as before.
 *
 * The packages are bundled together, with shared code in common chunks, so that two packages that
 * use a third still share one copy of it. Left as they are: packages with native code, those that
 * start threads or processes from files of their own (pino's transports, the sharding manager), and
 * anything that cannot be resolved here (optional dependencies not installed, such as discord.js's
 * zlib-sync), which then fails at run time exactly as it does unbundled.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { isBuiltin } from 'node:module';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

/** Packages imported as they are, from node_modules (see above). */
export const UNBUNDLED: ReadonlySet<string> = new Set(['@resvg/resvg-js', 'msgpackr', 'pino', 'pino-pretty', 'discord-hybrid-sharding']);

/** Bumped when what is bundled or how changes, so every bundle and compiled file is made again. */
const VERSION = 2;

/** Whether an import of `specifier` in the compiled copy is to load its bundle. */
export function isVendored(specifier: string): boolean {
  if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier) || specifier.includes(':')) return false;
  return !UNBUNDLED.has(packageName(specifier));
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** The bundle's file, relative to the vendor folder: `@mozilla/readability` → `@mozilla+readability.js`. */
export function vendorFileName(specifier: string): string {
  return `${specifier.replaceAll('/', '+')}.js`;
}

/** What one call did. */
export interface VendorSummary {
  /** Packages bundled this time (0 when the bundles were up to date). */
  readonly bundled: number;
  /** Bundles (and their chunks) that exist in the folder afterwards. */
  readonly files: readonly string[];
}

/**
 * Brings the bundles in `dir` up to date for `specifiers` (bare imports the sources make). They are made again only
 * when the specifiers, the lockfile or this file's VERSION change. `stamp` tells the caller whether
 * the bundles were rebuilt, in which case the compiled files must be rebuilt too.
 */
export async function bundleVendor(
  repoRoot: string,
  dir: string,
  specifiers: readonly string[],
): Promise<VendorSummary & { readonly stamp: string; readonly rebuilt: boolean }> {
  const wanted = [...new Set(specifiers.filter(isVendored))].sort();
  const lock = await readFile(path.join(repoRoot, 'package-lock.json'), 'utf8').catch(() => '');
  const stamp = createHash('sha256')
    .update(JSON.stringify({ VERSION, wanted, lock, unbundled: [...UNBUNDLED] }))
    .digest('hex');
  const stampFile = path.join(dir, 'stamp.json');
  const previous = await readFile(stampFile, 'utf8').catch(() => null);
  if (previous !== null) {
    const { stamp: old, files } = JSON.parse(previous) as { stamp: string; files: string[] };
    if (old === stamp) return { bundled: 0, files: [...files, 'stamp.json'], stamp, rebuilt: false };
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const exports = wanted.length === 0 ? new Map<string, readonly string[]>() : await exportedNames(repoRoot, wanted);
  const files = exports.size === 0 ? [] : await bundle(repoRoot, dir, exports);
  await writeFile(stampFile, JSON.stringify({ stamp, files }));
  return { bundled: exports.size, files: [...files, 'stamp.json'], stamp, rebuilt: true };
}

/**
 * The names Node gives each package when the project imports it (for a CommonJS one such as
 * discord.js, those Node finds in its source, which a bundler cannot name statically), read in a
 * plain node process from the project's folder, as vitest's runner resolves otherwise. Packages
 * and paths imported for their types only (no JavaScript to load, or not exported) are left out.
 */
async function exportedNames(repoRoot: string, specifiers: readonly string[]): Promise<Map<string, readonly string[]>> {
  const script = `
    const out = {};
    for (const specifier of ${JSON.stringify(specifiers)}) {
      try {
        out[specifier] = Object.keys(await import(specifier));
      } catch (error) {
        if (!['ERR_MODULE_NOT_FOUND', 'ERR_PACKAGE_PATH_NOT_EXPORTED'].includes(error?.code)) throw error;
      }
    }
    process.stdout.write(JSON.stringify(out));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  return new Map(Object.entries(JSON.parse(stdout) as Record<string, string[]>));
}

async function bundle(repoRoot: string, dir: string, exports: ReadonlyMap<string, readonly string[]>): Promise<string[]> {
  const esbuild = await import('esbuild');
  const specifiers = [...exports.keys()];
  const stubs = new Map<string, string>();
  for (const [specifier, names] of exports) {
    stubs.set(specifier, `export { ${names.map((n) => JSON.stringify(n)).join(', ')} } from ${JSON.stringify(specifier)};\n`);
  }
  const result = await esbuild.build({
    entryPoints: Object.fromEntries(specifiers.map((s) => [vendorFileName(s).slice(0, -'.js'.length), `vendor-entry:${s}`])),
    absWorkingDir: repoRoot,
    outdir: dir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    logLevel: 'silent',
    // Bundled CommonJS code calls require() for Node's own modules (and optional packages left out).
    banner: { js: "import { createRequire as __vendorRequire } from 'node:module'; const require = __vendorRequire(import.meta.url);" },
    plugins: [
      {
        name: 'factdesk-vendor',
        setup(build) {
          // Named .mjs so that esbuild reads it as Node does an ES module importing CommonJS: the
          // default is module.exports, even from a package marked __esModule (without, esbuild gave
          // its exports.default, which Node does not, and undefined when there is none: stopword's).
          build.onResolve({ filter: /^vendor-entry:/ }, (args) => ({
            path: `${args.path.slice('vendor-entry:'.length)}.mjs`,
            namespace: 'vendor-entry',
          }));
          build.onLoad({ filter: /.*/, namespace: 'vendor-entry' }, (args) => ({
            contents: stubs.get(args.path.slice(0, -'.mjs'.length)) ?? '',
            // Resolved as the sources resolve it, and read as an ES module (a CommonJS default is module.exports).
            resolveDir: repoRoot,
            loader: 'js',
          }));
          // What the package's own dependencies leave out or mark unbundled stays an import.
          build.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.namespace === 'vendor-entry' || args.pluginData === 'resolving') return undefined;
            if (!isVendored(args.path)) return { path: args.path, external: true };
            const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolving' });
            return resolved.errors.length > 0 ? { path: args.path, external: true } : resolved;
          });
        },
      },
    ],
  });
  return Object.keys(result.metafile.outputs).map((file) => path.relative(dir, path.resolve(repoRoot, file)));
}
