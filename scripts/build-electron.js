// Bundles the Electron main process and the preload into dist/electron (CommonJS, one file each:
// a sandboxed preload cannot require local modules). Native modules stay external.
import { build } from 'esbuild';

const external = [
  'electron',
  'better-sqlite3',
  'serialport',
  '@serialport/*',
  'mqtt',
  'node-forge',
  'qrcode',
  'pdfkit',
  'ws',
];
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external,
  logLevel: 'warning',
  // renderPool.ts reads __filename under CommonJS and import.meta only under ESM.
  logOverride: { 'empty-import-meta': 'silent' },
};

await build({ ...common, entryPoints: ['electron/main/index.ts'], outfile: 'dist/electron/main.cjs' });
// Label rendering runs in a worker thread next to main.cjs (electron/core/labels/renderPool.ts).
await build({
  ...common,
  entryPoints: ['electron/core/labels/renderWorker.ts'],
  outfile: 'dist/electron/renderWorker.cjs',
});
await build({
  ...common,
  entryPoints: ['electron/preload/index.ts'],
  outfile: 'dist/electron/preload.cjs',
  external: ['electron'],
});
// electron-builder's afterPack hook (electron-builder.yml): sets the packaged binary's fuses.
await build({
  ...common,
  entryPoints: ['electron/packaging/afterPack.ts'],
  outfile: 'dist/packaging/afterPack.cjs',
  external: ['@electron/fuses', 'electron-builder'],
});
console.log('built dist/electron/main.cjs, dist/electron/preload.cjs and dist/packaging/afterPack.cjs');
