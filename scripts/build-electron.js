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
// Worker threads next to main.cjs, named as electron/core/workerScript.ts expects.
for (const [name, entry] of Object.entries({
  renderWorker: 'electron/core/labels/renderWorker.ts',
  devicedbWorker: 'electron/core/devicedb/parseWorker.ts',
  reserveWorker: 'electron/core/orders/reserveWorker.ts',
  rewriteWorker: 'electron/core/devicedb/rewriteWorker.ts',
}))
  await build({ ...common, entryPoints: [entry], outfile: `dist/electron/${name}.cjs` });
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
