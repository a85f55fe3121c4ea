// npm start / npm run serve: build what changed, then let `lineside start` choose Electron or browser mode.
import { spawnSync } from 'node:child_process';

const build = spawnSync(process.execPath, ['scripts/build-if-stale.js'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(process.execPath, ['bin/lineside.js', 'start', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
