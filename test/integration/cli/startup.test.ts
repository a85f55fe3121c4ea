/**
 * Issue 16 (CLI and server start): a command imports only its own modules. `lineside info` runs
 * the compiled CLI (bin/lineside.js → dist/cli) with a preload that records every module the
 * process loads; the slow packages other commands need (pg, mqtt, serialport, pdfkit, esptool-js,
 * node-forge, ws) and the other commands' chunks must not be among them. `ca create` is the
 * control: it loads node-forge lazily, so the recorder sees packages loaded on first use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../../support/cli';
import { storeItem, writeDeviceDb } from '../../support/deviceDb';
import { makeTempDir } from '../../support/tempDir';

const hook = path.join(repoRoot, 'test', 'support', 'moduleLog.mjs');
let temp: { dir: string; cleanup: () => void };

beforeAll(() => {
  temp = makeTempDir();
});
afterAll(() => temp.cleanup());

async function modulesOf(name: string, args: string[], env: Record<string, string> = {}) {
  const log = path.join(temp.dir, `${name}.modules`);
  const result = await runCli([...args, '--data-dir', path.join(temp.dir, 'station')], {
    ...env,
    NODE_OPTIONS: `--import ${hook}`,
    LINESIDE_MODULE_LOG: log,
  });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

/** Packages (node_modules/<name>) among the loaded modules. */
function packages(lines: string[]): Set<string> {
  const names = new Set<string>();
  for (const line of lines) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(decodeURIComponent(line));
    if (m) names.add(m[1]!);
  }
  return names;
}

/** The command chunks of the compiled CLI that were loaded (dist/cli/chunks/<module>-<hash>.js). */
function commandChunks(lines: string[]): Set<string> {
  const modules = fs
    .readdirSync(path.join(repoRoot, 'electron', 'cli', 'commands'))
    .map((f) => f.replace(/\.ts$/, ''));
  const loaded = new Set<string>();
  for (const line of lines) {
    const m = /dist\/cli\/chunks\/([a-z]+)-[A-Z0-9]+\.js/.exec(line);
    if (m && modules.includes(m[1]!)) loaded.add(m[1]!);
  }
  return loaded;
}

const SLOW = [
  'pg',
  'mqtt',
  'serialport',
  '@serialport/bindings-cpp',
  'pdfkit',
  'esptool-js',
  'node-forge',
  'ws',
];

describe('lineside start-up loads only what the command needs', { timeout: 120_000 }, () => {
  it('info runs from the compiled CLI without the other commands or the slow packages', async () => {
    const lines = await modulesOf('info', ['info', '--json']);
    // The compiled CLI ran (no TypeScript at run time) and the recorder saw the store's driver.
    expect(lines.some((l) => /dist\/cli\/index\.js$/.test(l))).toBe(true);
    expect(lines.some((l) => /\.ts$/.test(l))).toBe(false);
    const loaded = packages(lines);
    expect(loaded.has('better-sqlite3')).toBe(true);
    for (const name of SLOW) expect(loaded.has(name), `${name} is loaded by lineside info`).toBe(false);
    expect([...commandChunks(lines)]).toEqual(['info']);
  });

  it('control: ca create loads node-forge (on first use) and its own chunk', async () => {
    const lines = await modulesOf('ca', ['ca', 'create', '--cn', 'Startup Test CA'], {
      LINESIDE_CA_PASSPHRASE: 'a long enough passphrase for the test',
    });
    expect(packages(lines).has('node-forge')).toBe(true);
    expect(commandChunks(lines).has('ca')).toBe(true);
    expect(commandChunks(lines).has('info')).toBe(false);
  });

  it('store dump of a large device.db parses it in the compiled worker, which starts its compiled rewrite helper', async () => {
    const db = path.join(temp.dir, 'device.db');
    const at = '2026-11-21T10:00:00.000Z';
    fs.writeFileSync(
      db,
      writeDeviceDb(
        Array.from({ length: 20_000 }, (_, i) => storeItem(`k.${String(i).padStart(6, '0')}`, i, at)),
      ),
    );
    const lines = await modulesOf('store', ['store', 'dump', '--db', db, '--json']);
    expect(lines.some((l) => /dist\/cli\/devicedbWorker\.js$/.test(l))).toBe(true);
    expect(lines.some((l) => /dist\/cli\/rewriteWorker\.js$/.test(l))).toBe(true);
    expect(lines.some((l) => /\.ts$/.test(l))).toBe(false);
  });
});
