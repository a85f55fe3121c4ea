// Rebuilds dist/ only when a source file is newer than the last build, so `npm start` stays fast.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full));
    else latest = Math.max(latest, fs.statSync(full).mtimeMs);
  }
  return latest;
}

function stale(output, sources) {
  if (!fs.existsSync(output)) return true;
  const built = fs.statSync(output).mtimeMs;
  return sources.some(
    (s) => fs.existsSync(s) && (fs.statSync(s).isDirectory() ? newest(s) : fs.statSync(s).mtimeMs) > built,
  );
}

if (process.argv.includes('--force') || stale('dist/renderer/index.html', ['renderer', 'electron/shared'])) {
  execSync('npm run --silent build:renderer', { stdio: 'inherit' });
}
if (process.argv.includes('--force') || stale('dist/electron/main.cjs', ['electron'])) {
  execSync('npm run --silent build:electron', { stdio: 'inherit' });
}
