/**
 * The device store over serial: the simulated unit's Store over the framed protocol (read and
 * write) and a real /bin/sh over a pty holding device.db + .jnl (read by fetching the files, or by
 * the agent's db tool when the unit has one), through the same operations the app and CLI use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OperationName, RequestOf, ResponseOf, Result } from '../../../electron/shared/contract';
import { createShellPty } from '../../support/ptyPair';
import { startSimulator } from '../../support/deviceSim';
import { storeItem, writeDeviceDb, writeJournal } from '../../support/deviceDb';
import { createTestStation, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const T0 = '2026-11-20T08:00:00.000Z';
const T1 = '2026-11-20T08:05:00.000Z';
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type TypedDispatch = <K extends OperationName>(op: K, req: RequestOf<K>) => Promise<Result<ResponseOf<K>>>;

function station(): Omit<TestStation, 'dispatch'> & { dispatch: TypedDispatch } {
  const s = createTestStation();
  cleanups.push(async () => {
    await s.deviceStores.closeAll();
    s.cleanup();
  });
  const dispatch: TypedDispatch = async (op, req) =>
    (await s.dispatch(op, req)) as Result<ResponseOf<typeof op>>;
  return { ...s, dispatch };
}

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('device store over the framed protocol', () => {
  it("lists the simulator's store and writes an edit into it", async () => {
    const temp = makeTempDir('lineside-sim-');
    cleanups.push(temp.cleanup);
    const storeFile = path.join(temp.dir, 'db', 'store.json');
    fs.mkdirSync(path.dirname(storeFile), { recursive: true });
    fs.writeFileSync(
      storeFile,
      JSON.stringify({ mode: '"eco"', limit: '42', flags: '{"a":[1,2]}', armed: 'false' }),
    );
    fs.mkdirSync(path.join(temp.dir, 'config'));
    fs.writeFileSync(path.join(temp.dir, 'config', 'device.json5'), "{ product: 'P1', id: 'ABCDE12345' }\n");
    const sim = await startSimulator({ dir: temp.dir, baud: 921600 });
    cleanups.push(() => sim.stop());
    const s = station();

    const report = ok(await s.dispatch('openDeviceSerial', { path: sim.path, transport: 'framed' }));
    expect(report).toMatchObject({ kind: 'framed', writable: true, models: [{ name: 'Store', count: 4 }] });
    const page = ok(await s.dispatch('listDeviceItems', { sourceId: report.sourceId, model: 'Store' }));
    const onDevice = JSON.parse(fs.readFileSync(storeFile, 'utf8')) as Record<string, string>;
    expect(page.items.map((r) => [r.key, r.value, r.type])).toEqual(
      Object.keys(onDevice)
        .sort()
        .map((k) => {
          const v = JSON.parse(onDevice[k]!) as unknown;
          return [k, typeof v === 'string' ? v : JSON.stringify(v), typeof v];
        }),
    );

    const row = ok(
      await s.dispatch('setDeviceItem', {
        sourceId: report.sourceId,
        key: 'limit',
        value: '77',
        type: 'number',
      }),
    );
    expect(row).toMatchObject({ key: 'limit', value: '77', type: 'number' });
    const after = JSON.parse(fs.readFileSync(storeFile, 'utf8')) as Record<string, string>;
    expect(JSON.parse(after.limit!)).toBe(77);
    ok(
      await s.dispatch('setDeviceItem', {
        sourceId: report.sourceId,
        key: 'note',
        value: 'hi',
        type: 'string',
      }),
    );
    expect(JSON.parse((JSON.parse(fs.readFileSync(storeFile, 'utf8')) as Record<string, string>).note!)).toBe(
      'hi',
    );

    const logged = s.store.events.recent(5).find((e) => e.kind === 'devstore.set');
    expect(logged).toMatchObject({ claimId: 'ABCDE12345' });
    expect(
      s.store.events
        .recent(5)
        .filter((e) => e.kind === 'devstore.set')
        .map((e) => e.data),
    ).toContainEqual(expect.objectContaining({ key: 'limit', before: 42, after: 77 }));
    ok(await s.dispatch('closeDeviceStore', { sourceId: report.sourceId }));
  });
});

describe('device store over the serial shell', () => {
  function unitDir(): string {
    const temp = makeTempDir('lineside-unit-');
    cleanups.push(temp.cleanup);
    const dbDir = path.join(temp.dir, 'state', 'db');
    fs.mkdirSync(dbDir, { recursive: true });
    const many = Array.from({ length: 1500 }, (_, i) =>
      storeItem(`k${String(i).padStart(4, '0')}`, i * 3, T0),
    );
    fs.writeFileSync(
      path.join(dbDir, 'device.db'),
      writeDeviceDb(
        [
          storeItem('mode', 'eco', T0),
          storeItem('limit', 42, T0),
          ...many,
          { sk: 'd#ABC', _type: 'Device', id: 'ABC' },
        ],
        'le',
      ),
    );
    fs.writeFileSync(
      path.join(dbDir, 'device.db.jnl'),
      writeJournal(
        [
          { command: 'upsert', model: 'Store', value: { sk: 's#mode', value: 'boost', updated: T1 } },
          { command: 'remove', model: 'Store', value: { sk: 's#k0007' } },
          {
            command: 'create',
            model: 'Store',
            value: { ...storeItem('fresh', true, T1) },
          },
        ],
        'le',
      ),
    );
    return temp.dir;
  }

  it('fetches device.db and its journal over the console, hash-checked, and shows the same items', async () => {
    const dir = unitDir();
    const shell = await createShellPty({ cwd: dir });
    cleanups.push(() => shell.stop());
    const s = station();
    const report = ok(
      await s.dispatch('openDeviceSerial', {
        path: shell.a,
        transport: 'shell',
        deviceDir: path.join(dir, 'state'),
        method: 'files',
      }),
    );
    expect(report).toMatchObject({ kind: 'shell', writable: false, journalRecords: 3 });
    expect(report.models).toEqual([
      { name: 'Device', count: 1 },
      { name: 'Store', count: 1502 },
    ]);
    // The same files opened directly as a copied database: the same items, exactly.
    const copy = ok(await s.dispatch('openDeviceDatabase', { dbPath: path.join(dir, 'state') }));
    for (const model of ['Store', 'Device']) {
      const over = ok(
        await s.dispatch('exportDeviceStore', { sourceId: report.sourceId, model, format: 'json' }),
      );
      const local = ok(
        await s.dispatch('exportDeviceStore', { sourceId: copy.sourceId, model, format: 'json' }),
      );
      expect(over.text).toBe(local.text);
    }
    const page = ok(
      await s.dispatch('listDeviceItems', { sourceId: report.sourceId, model: 'Store', search: 'mode' }),
    );
    expect(page.items).toEqual([expect.objectContaining({ key: 'mode', value: 'boost', updated: T1 })]);
    const refused = await s.dispatch('setDeviceItem', {
      sourceId: report.sourceId,
      key: 'mode',
      value: 'x',
      type: 'string',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it("refuses a database that does not match the unit's own checksum", async () => {
    const dir = unitDir();
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    // The unit's sha256sum disagrees with what crossed the console (a damaged transfer).
    fs.writeFileSync(path.join(bin, 'sha256sum'), `#!/bin/sh\necho "${'0'.repeat(64)}  $1"\n`, {
      mode: 0o755,
    });
    const shell = await createShellPty({
      cwd: dir,
      env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` },
    });
    cleanups.push(() => shell.stop());
    const r = await station().dispatch('openDeviceSerial', {
      path: shell.a,
      transport: 'shell',
      deviceDir: path.join(dir, 'state'),
      method: 'files',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'verify-mismatch' } });
    if (!r.ok) expect(r.error.message).toMatch(/^db\/device\.db arrived damaged over the console/);
  });

  it("runs the agent's db tool when the unit has one", async () => {
    const dir = unitDir();
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    // A stand-in for the agent's db tool: prints the Store as JSON, and records how it was called.
    fs.writeFileSync(
      path.join(bin, 'db'),
      `#!/bin/sh\necho "$@" > "${path.join(dir, 'db-args')}"\nprintf '%s\\n' '[{"sk":"s#mode","_type":"Store","key":"mode","value":"boost","type":"string","updated":"${T1}"},{"sk":"s#limit","_type":"Store","key":"limit","value":42,"type":"number"}]'\n`,
      { mode: 0o755 },
    );
    const shell = await createShellPty({
      cwd: dir,
      env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` },
    });
    cleanups.push(() => shell.stop());
    const s = station();
    const report = ok(
      await s.dispatch('openDeviceSerial', {
        path: shell.a,
        transport: 'shell',
        deviceDir: path.join(dir, 'state'),
      }),
    );
    expect(report.models).toEqual([{ name: 'Store', count: 2 }]);
    expect(fs.readFileSync(path.join(dir, 'db-args'), 'utf8').trim()).toBe(
      `--schema ${path.join(dir, 'state', 'config', 'schema.json5')} ${path.join(dir, 'state', 'db', 'device.db')} Store`,
    );
    const page = ok(await s.dispatch('listDeviceItems', { sourceId: report.sourceId, model: 'Store' }));
    expect(page.items.map((r) => [r.key, r.value, r.type])).toEqual([
      ['limit', '42', 'number'],
      ['mode', 'boost', 'string'],
    ]);
  });
});
