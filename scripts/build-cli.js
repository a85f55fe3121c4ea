// Compiles the CLI and the bridge server (`lineside serve`) to plain JavaScript in dist/cli, so
// `lineside` starts without compiling TypeScript at run time. ESM with code splitting: index.js
// holds the command table and the services' composition, and each command's implementation is its
// own chunk (dist/cli/chunks), imported only when that command runs. Packages stay in node_modules
// (native modules, CommonJS packages; the slow ones load on first use), except zod and json5:
// bundled, they load as part of one file instead of ~125 small ES modules the loader resolves,
// reads and links one by one. bin/lineside.js rebuilds when a source is newer. Every file is
// written to a temporary name and renamed, index.js last, so a CLI starting meanwhile (tests run
// several at once) never loads half a build.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Pure-JavaScript ES packages compiled into the CLI instead of loaded from node_modules. */
export const BUNDLED_PACKAGES = ['zod', 'json5'];

/**
 * zod re-exports every one of its ~60 message locales (`z.locales`, ~600 KB); Lineside's messages
 * are English, so the CLI bundle carries zod's English locale only.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`)
        ? { path: path.join(path.dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

function externalPackages() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
    .filter((name) => !BUNDLED_PACKAGES.includes(name))
    .flatMap((name) => [name, `${name}/*`]);
}

export async function buildCli() {
  const outdir = path.join(root, 'dist', 'cli');
  const result = await build({
    absWorkingDir: root,
    // Worker threads are files of their own, named as electron/core/workerScript.ts expects.
    entryPoints: {
      index: 'electron/cli/index.ts',
      renderWorker: 'electron/core/labels/renderWorker.ts',
      devicedbWorker: 'electron/core/devicedb/parseWorker.ts',
      reserveWorker: 'electron/core/orders/reserveWorker.ts',
      rewriteWorker: 'electron/core/devicedb/rewriteWorker.ts',
    },
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: externalPackages(),
    plugins: [zodEnglishOnly],
    sourcemap: false,
    write: false,
    logLevel: 'warning',
  });
  fs.mkdirSync(path.join(outdir, 'chunks'), { recursive: true });
  // Chunks and the workers first, index.js last: bin/lineside.js checks index.js to decide
  // whether to build. Chunk names carry a content hash, so a CLI still running the previous
  // index.js finds its own chunks; chunks no build has written for a day are removed.
  const files = [...result.outputFiles].sort((a) => (a.path.endsWith(`${path.sep}index.js`) ? 1 : -1));
  for (const file of files) {
    const temp = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(temp, file.contents);
    fs.renameSync(temp, file.path);
  }
  const written = new Set(files.map((f) => f.path));
  const chunkDir = path.join(outdir, 'chunks');
  for (const name of fs.readdirSync(chunkDir)) {
    const full = path.join(chunkDir, name);
    if (!written.has(full) && Date.now() - fs.statSync(full).mtimeMs > 86_400_000)
      fs.rmSync(full, { force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli();
  console.log('built dist/cli/index.js, its chunks and its worker scripts');
}
