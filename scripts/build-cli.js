// Compiles the CLI and the bridge server (`lineside serve`) to plain JavaScript in dist/cli, so
// `lineside` starts without compiling TypeScript at run time. One ESM file; packages stay in
// node_modules (native modules, CommonJS packages), and the slow ones (mqtt, pdfkit, serialport,
// qrcode's renderers) are imported only by the code that uses them. bin/lineside.js rebuilds when
// a source is newer. Written to a temporary name and renamed, so a CLI starting meanwhile (tests
// run several at once) never loads half a file.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildCli() {
  const outdir = path.join(root, 'dist', 'cli');
  const result = await build({
    absWorkingDir: root,
    // The label render worker is its own file (electron/core/labels/renderPool.ts starts it).
    entryPoints: ['electron/cli/index.ts', 'electron/core/labels/renderWorker.ts'],
    outdir,
    entryNames: '[name]',
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: false,
    write: false,
    logLevel: 'warning',
  });
  fs.mkdirSync(outdir, { recursive: true });
  // The worker first, index.js last: bin/lineside.js checks index.js to decide whether to build.
  const files = [...result.outputFiles].sort((a) => (a.path.endsWith('index.js') ? 1 : -1));
  for (const file of files) {
    const temp = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(temp, file.contents);
    fs.renameSync(temp, file.path);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli();
  console.log('built dist/cli/index.js and dist/cli/renderWorker.js');
}
