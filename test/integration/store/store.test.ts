import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../electron/core/clock';
import { isFailure } from '../../../electron/core/failure';
import { createStore } from '../../../electron/core/store';
import { migrations } from '../../../electron/core/store/migrations';
import { makeTempDir } from '../../support/tempDir';

const clock = fixedClock('2026-11-21T10:00:00.000Z');
const actor = () => ({ station: 'bench-1', operator: 'ana', role: 'technician' });
const temps: (() => void)[] = [];
function tempFile() {
  const t = makeTempDir();
  temps.push(t.cleanup);
  return path.join(t.dir, 'lineside.db');
}
afterEach(() => temps.splice(0).forEach((c) => c()));

describe('station store', () => {
  it('migrates an empty file: WAL, foreign keys, every migration recorded', () => {
    const file = tempFile();
    const store = createStore({ file, clock, actor });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const applied = store.db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all();
    expect(applied).toEqual(migrations.map((m) => m.id));
    expect(store.schemaVersion).toBe(Math.max(...migrations.map((m) => m.id)));
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type='table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['units', 'events', 'settings', 'schema_migrations']));
    store.close();
  });

  it('reopens idempotently and keeps its rows', () => {
    const file = tempFile();
    const a = createStore({ file, clock, actor });
    a.units.insertMany([{ claimId: 'M72DANY8BZ', state: 'verified', at: clock.now().toISOString() }]);
    a.close();
    for (let i = 0; i < 3; i++) {
      const b = createStore({ file, clock, actor });
      expect(b.units.count()).toBe(1);
      expect(b.db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(migrations.length);
      b.close();
    }
  });

  it('refuses a database written by a newer Lineside, with a message that says what to do', () => {
    const file = tempFile();
    createStore({ file, clock, actor }).close();
    const raw = new Database(file);
    raw
      .prepare("INSERT INTO schema_migrations (id, name, applied_at) VALUES (9999, 'from the future', 'x')")
      .run();
    raw.close();
    let error: unknown;
    try {
      createStore({ file, clock, actor });
    } catch (e) {
      error = e;
    }
    expect(isFailure(error) && error.code).toBe('store-too-new');
    expect((error as Error).message).toMatch(
      /written by a newer Lineside \(schema 9999; this version knows up to \d+\)\. Update Lineside/,
    );
    // Refusing must not have changed the file.
    const check = new Database(file);
    expect(check.prepare('SELECT max(id) FROM schema_migrations').pluck().get()).toBe(9999);
    check.close();
  });

  it('refuses a newer user_version even without migration rows', () => {
    const file = tempFile();
    const raw = new Database(file);
    raw.pragma('user_version = 500');
    raw.close();
    expect(() => createStore({ file, clock, actor })).toThrow(/newer Lineside \(schema 500/);
  });

  it('keeps the event log append-only and stamps who (operator and role), when and where', () => {
    const store = createStore({ file: tempFile(), clock, actor });
    const id = store.events.append({ kind: 'unit.verified', claimId: 'M72DANY8BZ', data: { slot: 2 } });
    expect(store.events.forUnit('M72DANY8BZ')).toEqual([
      {
        id,
        at: '2026-11-21T10:00:00.000Z',
        station: 'bench-1',
        operator: 'ana',
        role: 'technician',
        kind: 'unit.verified',
        claimId: 'M72DANY8BZ',
        orderId: null,
        data: { slot: 2 },
      },
    ]);
    expect(() => store.db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    expect(() => store.db.prepare("UPDATE events SET kind = 'x'").run()).toThrow(/append-only/);
    store.close();
  });

  it('pages units by claim-ID prefix however the ID is typed', () => {
    const store = createStore({ file: tempFile(), clock, actor });
    const at = clock.now().toISOString();
    store.units.insertMany(
      ['AAAA000001', 'AAAB000002', 'AAAB000003', 'ZZZZ000004'].map((claimId) => ({
        claimId,
        state: 'verified' as const,
        at,
      })),
    );
    const first = store.units.page({ prefix: 'aa-ab', limit: 1 });
    expect(first.items.map((u) => u.claimId)).toEqual(['AAAB000002']);
    expect(first.total).toBe(2);
    const second = store.units.page({ prefix: 'AAAB', limit: 1, cursor: first.nextCursor });
    expect(second.items.map((u) => u.claimId)).toEqual(['AAAB000003']);
    expect(second.nextCursor).toBeNull();
    expect(store.units.page({}).total).toBe(4);
    expect(() => store.units.insertMany([{ claimId: 'AAAA000001', state: 'reserved', at }])).toThrow(
      /UNIQUE/,
    );
    store.close();
  });

  it('survives SIGKILL mid-write with every committed row', async () => {
    const file = tempFile();
    createStore({ file, clock, actor }).close();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '../../support/children/storeWriter.ts'), file],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let lastCommitted = 0;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const counts = [...chunk.toString().matchAll(/committed (\d+)/g)].map((m) => Number(m[1]));
        if (counts.length) lastCommitted = counts.at(-1)!;
        if (lastCommitted >= 5000 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}`)),
      );
    });
    await new Promise((r) => child.once('exit', r).once('close', r));
    const store = createStore({ file, clock, actor });
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const count = store.units.count();
    expect(count).toBeGreaterThanOrEqual(lastCommitted);
    expect(count % 500).toBe(0); // whole batches only: a transaction is all or nothing
    const batches = store.db
      .prepare("SELECT count(*) FROM events WHERE kind = 'batch.committed'")
      .pluck()
      .get();
    expect(batches).toBe(count / 500);
    store.close();
  }, 60_000);
});
