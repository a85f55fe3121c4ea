#!/usr/bin/env node
// The lineside CLI runs compiled JavaScript (dist/cli, built by scripts/build-cli.js): no
// TypeScript compilation at run time. It builds first when a source under electron/ is newer than
// the build (a checkout, an edit, a change to the build script), which takes a second once.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'cli', 'index.js');

function newerThan(dir, time) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() ? newerThan(full, time) : fs.statSync(full).mtimeMs > time) return true;
  }
  return false;
}

function stale() {
  if (!fs.existsSync(built)) return true;
  const time = fs.statSync(built).mtimeMs;
  return (
    newerThan(path.join(root, 'electron'), time) ||
    fs.statSync(path.join(root, 'package.json')).mtimeMs > time ||
    fs.statSync(path.join(root, 'scripts', 'build-cli.js')).mtimeMs > time
  );
}

if (stale()) {
  const { buildCli } = await import(pathToFileURL(path.join(root, 'scripts', 'build-cli.js')).href);
  await buildCli();
}
await import(pathToFileURL(built).href);
