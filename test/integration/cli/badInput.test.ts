/**
 * The CLI on input a person typed: never "a bug: please report it" (exit 70), always a sentence that
 * says what to do and the documented exit code, and never a read that does not end.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../electron/shared/contract';
import { runCli } from '../../support/cli';
import { makeTempDir } from '../../support/tempDir';

const BUSY =
  'The station database is busy: another Lineside process is writing to it. Try again in a moment.';
const SAME_RECORD =
  'Another Lineside process made the same record at the same moment: run the command again.';

let temp: { dir: string; cleanup: () => void };
let dataDir: string;
const cli = (...args: string[]) => runCli([...args, '--data-dir', dataDir]);

beforeAll(() => {
  temp = makeTempDir('lineside-badinput-');
  dataDir = path.join(temp.dir, 'station');
});
afterAll(() => temp.cleanup());

describe('the CLI on bad input', () => {
  it('store dump refuses /dev/zero and a pipe at once, with the reason', async () => {
    const fifo = path.join(temp.dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    const zero = await cli('store', 'dump', '--db', '/dev/zero');
    expect(zero.code).toBe(3);
    expect(zero.stderr).toContain(
      '/dev/zero is a character device, not a file: give the path of the device database.',
    );
    const pipe = await cli('store', 'dump', '--db', fifo);
    expect(pipe.code).toBe(3);
    expect(pipe.stderr).toContain(`${fifo} is a pipe, not a file`);
    expect(Date.now() - started).toBeLessThan(40_000); // two process starts, no read of an endless file
    for (const r of [zero, pipe]) expect(r.stderr).not.toMatch(/bug|report it/i);
  });

  it('profiles check reports a deeply nested profile and keys named like Object members, exit 3', async () => {
    const deep = path.join(temp.dir, 'deep.json5');
    fs.writeFileSync(
      deep,
      `{ product: '01H4R15D3478JD26YDYK408XE6', name: 'D', model: 'M', device: { a: ${'['.repeat(200_000)}${']'.repeat(200_000)} } }`,
    );
    const r = await cli('profiles', 'check', deep);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(
      /deep\.json5:1:\d+: The profile nests objects or arrays more than 32 levels deep here/,
    );
    const odd = path.join(temp.dir, 'odd.json5');
    fs.writeFileSync(
      odd,
      `{ product: '01H4R15D3478JD26YDYK408XE6', name: 'D', model: 'M',\n  toString: 1,\n  __proto__: { x: 1 },\n  constructor: 2 }\n`,
    );
    const o = await cli('profiles', 'check', odd);
    expect(o.code).toBe(3);
    expect(o.stdout).toContain('odd.json5:2:3: Unknown key `toString`.');
    expect(o.stdout).toContain('odd.json5:3:3: Unknown key `__proto__`.');
    expect(o.stdout).toContain('odd.json5:4:3: Unknown key `constructor`.');
    expect(o.stdout).not.toMatch(/native code|\[object Object\]/);
  });

  it('a database another process holds locked is "busy" (exit 6), not a bug', async () => {
    expect((await cli('orders', 'list')).code).toBe(0); // creates the database
    const holder = new Database(path.join(dataDir, 'lineside.db'));
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const r = await cli('orders', 'create', '--profile', 'ioto-demo', '--quantity', '3');
      expect(r.code).toBe(6);
      expect(r.stderr).toContain('The station database is busy: another Lineside process is writing to it.');
      // With --json the refusal is the result on stdout, and stderr stays empty.
      const j = await cli('orders', 'create', '--profile', 'ioto-demo', '--quantity', '3', '--json');
      expect(j.code).toBe(6);
      expect(j.stderr).toBe('');
      expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, error: { code: 'busy', message: BUSY } });
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  }, 60_000);

  it('four orders created at once: each succeeds or says why, none exits 70', async () => {
    const runs = await Promise.all(
      [1, 2, 3, 4].map(() => cli('orders', 'create', '--profile', 'ioto-demo', '--quantity', '20', '--json')),
    );
    // With --json every answer is the result on stdout, a refusal too (the old check looked for
    // "Error:" on stderr, so a run refused as busy on a loaded machine failed the test).
    const results = runs.map((r) => {
      expect(r.code, r.stderr).not.toBe(70);
      expect(r.stdout + r.stderr).not.toMatch(/please report it/);
      return { code: r.code, result: JSON.parse(r.stdout) as Result<{ orderId: string }> };
    });
    for (const { code, result } of results) {
      if (result.ok) expect(code).toBe(0);
      else
        expect([code, result.error]).toEqual(
          result.error.code === 'busy'
            ? [6, expect.objectContaining({ message: BUSY })]
            : [5, expect.objectContaining({ code: 'conflict', message: SAME_RECORD })],
        );
    }
    const ids = results.flatMap(({ result }) => (result.ok ? [result.value.orderId] : []));
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  }, 120_000);
});
