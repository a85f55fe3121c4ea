// npm run test:electron: drives the real Electron app with Playwright's Electron support. Needs
// Electron's binary; where it is missing (its download host is unreachable) this says so and exits 1
// instead of passing without running anything. Natives are rebuilt for Electron's ABI for the run and
// back for Node's afterwards, so `npm test` keeps working.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

let binary = null;
let reason = 'the electron package is not installed';
try {
  // The electron package's main export is the path of its binary (present only after its download).
  binary = createRequire(path.resolve('package.json'))('electron');
  if (!fs.existsSync(binary)) [binary, reason] = [null, 'the electron package has no binary'];
} catch (error) {
  reason = String(error.message).split('\n')[0];
}
if (!binary) {
  console.error(
    `npm run test:electron needs Electron's binary, which is not installed here (${reason}).\n` +
      'On a workstation that can download it: node node_modules/electron/install.js, then run this again.',
  );
  process.exit(1);
}
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;
let status = run(process.execPath, ['scripts/build-if-stale.js']);
if (status === 0) status = run('npx', ['electron-builder', 'install-app-deps']);
if (status === 0) status = run('npx', ['playwright', 'test', '-c', 'test/electron/playwright.config.ts']);
const back = run('npm', ['rebuild', 'better-sqlite3', '@serialport/bindings-cpp']);
process.exit(status || back);
