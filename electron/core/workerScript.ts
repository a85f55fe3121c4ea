/**
 * Where a worker thread's script is. In the builds it is a compiled file next to the bundle
 * (scripts/build-cli.js, scripts/build-electron.js): `<name>.js` beside the CLI's ESM bundle (code
 * running from one of its chunks in dist/cli/chunks/ looks one folder up),
 * `<name>.cjs` beside Electron's main.cjs. Running from the TypeScript sources (tsx, vitest), the
 * source is compiled once with esbuild (a dev dependency) to dist/dev/<name>.mjs beside
 * node_modules, so its imports resolve, and compiled again when any file it bundles is newer
 * (with the workers it starts itself, which it finds beside it).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Esbuild from 'esbuild';

/** The worker scripts and their sources, relative to electron/core. */
export const workerSources = {
  renderWorker: 'labels/renderWorker.ts',
  devicedbWorker: 'devicedb/parseWorker.ts',
  reserveWorker: 'orders/reserveWorker.ts',
  rewriteWorker: 'devicedb/rewriteWorker.ts',
} as const;

export type WorkerName = keyof typeof workerSources;

/** Workers a worker starts itself (found beside its own script, so compiled with it). */
const nestedWorkers: Partial<Record<WorkerName, WorkerName[]>> = {
  devicedbWorker: ['rewriteWorker'],
};

function here(): string | null {
  // CommonJS bundle (Electron main): __filename; ESM (CLI bundle, sources): import.meta.
  if (typeof __filename === 'string' && __filename.length > 0) return pathToFileURL(__filename).href;
  return import.meta.url || null;
}

function newestInput(listFile: string): number {
  try {
    const inputs = JSON.parse(fs.readFileSync(listFile, 'utf8')) as string[];
    return Math.max(...inputs.map((f) => fs.statSync(f).mtimeMs));
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** The script's URL, or null where no worker can start (the caller then works in-process). */
export function workerScript(name: WorkerName): URL | null {
  const at = here();
  if (!at) return null;
  if (!at.endsWith('.ts')) {
    // Beside the bundle; from a code-split chunk (the CLI's dist/cli/chunks/), one folder up.
    // (.mjs: a worker compiled from the sources in dist/dev, starting a worker of its own.)
    const file = at.endsWith('.cjs') ? `${name}.cjs` : at.endsWith('.mjs') ? `${name}.mjs` : `${name}.js`;
    const beside = new URL(`./${file}`, at);
    const up = new URL(`../${file}`, at);
    return fs.existsSync(fileURLToPath(beside)) || !fs.existsSync(fileURLToPath(up)) ? beside : up;
  }
  for (const nested of nestedWorkers[name] ?? []) workerScript(nested);
  const coreDir = path.dirname(fileURLToPath(at));
  const source = path.join(coreDir, workerSources[name]);
  const root = path.resolve(coreDir, '..', '..');
  const out = path.join(root, 'dist', 'dev', `${name}.mjs`);
  const inputsFile = `${out}.inputs.json`;
  if (!fs.existsSync(out) || fs.statSync(out).mtimeMs < newestInput(inputsFile)) {
    const esbuild = createRequire(at)('esbuild') as typeof Esbuild;
    const result = esbuild.buildSync({
      absWorkingDir: root,
      entryPoints: [source],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // Written to temporary names and renamed: tests start workers from several processes at once.
    const temp = `${out}.${process.pid}.tmp`;
    fs.writeFileSync(temp, result.outputFiles[0]!.contents);
    const inputs = Object.keys(result.metafile.inputs).map((f) => path.resolve(root, f));
    fs.writeFileSync(`${inputsFile}.${process.pid}.tmp`, JSON.stringify(inputs));
    fs.renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
    fs.renameSync(temp, out);
  }
  return pathToFileURL(out);
}
