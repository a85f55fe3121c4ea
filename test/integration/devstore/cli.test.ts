import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli';
import { storeItem, writeDeviceDb, writeJournal } from '../../support/deviceDb';
import { startMosquitto, type Broker } from '../../support/mosquitto';
import { startSimulatedDevice, type SimulatedDevice } from '../../support/iotoDevice';
import { makeTempDir } from '../../support/tempDir';
import { createShellPty } from '../../support/ptyPair';
import { startSimulator } from '../../support/deviceSim';

const T0 = '2026-11-20T08:00:00.000Z';
let temp: { dir: string; cleanup: () => void };
let broker: Broker;

beforeAll(async () => {
  temp = makeTempDir();
  const dbDir = path.join(temp.dir, 'state', 'db');
  fs.mkdirSync(dbDir, { recursive: true });
  fs.writeFileSync(
    path.join(dbDir, 'device.db'),
    writeDeviceDb([storeItem('mode', 'eco', T0), storeItem('limit', 42, T0)], 'be'),
  );
  fs.writeFileSync(
    path.join(dbDir, 'device.db.jnl'),
    writeJournal(
      [{ command: 'upsert', model: 'Store', value: { sk: 's#mode', value: 'boost', updated: T0 } }],
      'be',
    ),
  );
  broker = await startMosquitto();
});
afterAll(async () => {
  temp.cleanup();
  await broker.stop();
});

const data = () => ['--data-dir', path.join(temp.dir, 'station')];

// Each test starts the real bin several times (plus a broker, a pty or the simulator). A bin start
// alone took about 10 s on a loaded 2-core machine (load 20), so four of them overran the 60 s default.
describe('lineside store', { timeout: 240_000 }, () => {
  it('dumps a copied database folder with its journal replayed', async () => {
    const out = await runCli(['store', 'dump', '--db', path.join(temp.dir, 'state'), ...data()]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('big-endian, 1 journal records');
    expect(out.stdout).toMatch(
      /Store \(2\)\n {2}limit\t42\tnumber\t2026-11-20T08:00:00.000Z\n {2}mode\tboost\tstring/,
    );
    const json = await runCli([
      'store',
      'dump',
      '--db',
      path.join(temp.dir, 'state'),
      '--format',
      'json',
      ...data(),
    ]);
    expect(JSON.parse(json.stdout)).toEqual([
      storeItem('limit', 42, T0),
      { ...storeItem('mode', 'eco', T0), value: 'boost' },
    ]);
  });

  it('reads a file cut short up to the cut and says so; names the byte offset of a damaged one', async () => {
    const file = path.join(temp.dir, 'cut.db');
    const whole = writeDeviceDb([storeItem('limit', 42, T0), storeItem('mode', 'eco', T0)], 'le');
    fs.writeFileSync(file, whole.subarray(0, whole.length - 3));
    const out = await runCli(['store', 'dump', '--db', file, ...data()]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/Store \(1\)\n {2}limit\t42/);
    const lastAt = writeDeviceDb([storeItem('limit', 42, T0)], 'le').length;
    expect(out.stdout).toContain(
      `Note: cut.db ends in an item cut short at byte ${lastAt} (${whole.length - 3 - lastAt} bytes dropped)`,
    );
    // A value that is not JSON5 is damage: named by its offset, exit 1. It sits after the version
    // (2), the key length (4), "s#limit" (7) and the value length (4): byte 17.
    const bad = Buffer.from(whole);
    bad[17] = 0x23;
    fs.writeFileSync(file, bad);
    const damaged = await runCli(['store', 'dump', '--db', file, ...data()]);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(
      /^Error: cut\.db is damaged at byte 17: the value of s#limit is not a JSON5/,
    );
  });

  it('dumps a journal-only database folder (a unit that ran less than the journal age)', async () => {
    const dir = path.join(temp.dir, 'young', 'db');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'device.db.jnl'),
      writeJournal([{ command: 'create', model: 'Store', value: storeItem('mode', 'eco', T0) }], 'le'),
    );
    const out = await runCli(['store', 'dump', '--db', path.join(temp.dir, 'young'), ...data()]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/Store \(1\)\n {2}mode\teco/);
    expect(out.stdout).toContain('Note: There is no device.db yet, only its journal');
  });

  it('sets a value over MQTT and the device confirms it; --port says it is not here yet', async () => {
    const device: SimulatedDevice = await startSimulatedDevice({
      url: broker.url,
      claimId: 'CLI0000001',
      store: { mode: 'eco' },
      resendMs: 300,
    });
    try {
      const out = await runCli([
        'store',
        'set',
        '--mqtt',
        broker.url,
        '--claim-id',
        'CLI0000001',
        '--type',
        'number',
        'limit',
        '7',
        ...data(),
      ]);
      expect(out.stderr).toBe('');
      expect(out.stdout).toBe('limit = 7 (number), confirmed by the device\n');
      expect(device.items.get('s#limit')).toMatchObject({ value: 7 });
    } finally {
      await device.stop();
    }
    const help = await runCli(['store', 'dump', '--help']);
    expect(help.stdout).toContain('--port PATH --transport shell|framed');
  });

  it('an idle, connected device: dump says why it holds nothing (exit 4), --ask fetches named keys', async () => {
    const device: SimulatedDevice = await startSimulatedDevice({
      url: broker.url,
      claimId: 'CLI0000002',
      store: { mode: 'eco', limit: 42 },
      resendMs: 300,
    });
    const mqttArgs = ['--mqtt', broker.url, '--claim-id', 'CLI0000002', '--timeout', '3', ...data()];
    try {
      // Already connected and idle: it sends nothing, however long Lineside listens.
      const empty = await runCli(['store', 'dump', ...mqttArgs]);
      expect(empty.code).toBe(6);
      expect(empty.stderr).toContain('Device CLI0000002 sent nothing');
      const asked = await runCli(['store', 'dump', ...mqttArgs, '--ask', 'mode', '--ask', 'limit']);
      expect(asked.stderr).toBe('');
      expect(asked.code).toBe(0);
      expect(asked.stdout).toMatch(/Store \(2\)\n {2}limit\t42\tnumber\t\S+\n {2}mode\teco\tstring/);
      expect(asked.stdout).toContain('Note: Asked for 2 keys: 2 answered.');
    } finally {
      await device.stop();
    }
    // A device that connects while Lineside listens sends its syncDown and pending changes: none.
    // (The CLI takes a while to start: the device reconnects every second until it has answered.)
    let done = false;
    const listening = runCli([
      'store',
      'dump',
      '--mqtt',
      broker.url,
      '--claim-id',
      'CLI0000003',
      '--settle',
      '1',
      '--timeout',
      '60',
      ...data(),
    ]).finally(() => (done = true));
    while (!done) {
      const late = await startSimulatedDevice({
        url: broker.url,
        claimId: 'CLI0000003',
        store: { mode: 'eco' },
      });
      await new Promise((r) => setTimeout(r, 1000));
      await late.stop();
    }
    const out = await listening;
    expect(out.code).toBe(4);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(
      /^Error: The device has sent 0 items \(0 in its Store\) since Lineside connected/,
    );
    expect(out.stderr).toContain('Name the keys to fetch with --ask KEY');
  });

  it("dumps a unit's store over its serial shell, and reads and writes the simulator's over the framed protocol", async () => {
    const shell = await createShellPty({ cwd: temp.dir });
    try {
      const out = await runCli([
        'store',
        'dump',
        '--port',
        shell.a,
        '--transport',
        'shell',
        '--device-dir',
        path.join(temp.dir, 'state'),
        '--method',
        'files',
        '--format',
        'json',
        ...data(),
      ]);
      expect(out.stderr).toBe('');
      expect(JSON.parse(out.stdout)).toEqual([
        storeItem('limit', 42, T0),
        { ...storeItem('mode', 'eco', T0), value: 'boost' },
      ]);
    } finally {
      await shell.stop();
    }
    const unit = makeTempDir('lineside-sim-');
    fs.mkdirSync(path.join(unit.dir, 'db'));
    fs.writeFileSync(path.join(unit.dir, 'db', 'store.json'), JSON.stringify({ mode: '"eco"' }));
    const sim = await startSimulator({ dir: unit.dir, baud: 921600 });
    try {
      const set = await runCli([
        'store',
        'set',
        '--port',
        sim.path,
        '--transport',
        'framed',
        '--type',
        'number',
        'limit',
        '9',
        ...data(),
      ]);
      expect(set.stderr).toBe('');
      expect(set.stdout).toBe('limit = 9 (number), confirmed by the device\n');
      const store = JSON.parse(fs.readFileSync(path.join(unit.dir, 'db', 'store.json'), 'utf8')) as Record<
        string,
        string
      >;
      expect(store).toEqual({ mode: '"eco"', limit: '9' });
      const dump = await runCli(['store', 'dump', '--port', sim.path, '--transport', 'framed', ...data()]);
      expect(dump.stdout).toMatch(/Store \(2\)\n {2}limit\t9\tnumber\t-\n {2}mode\teco\tstring\t-/);
      const refused = await runCli([
        'store',
        'set',
        '--port',
        sim.path,
        '--transport',
        'shell',
        'a',
        'b',
        ...data(),
      ]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('reads the store only');
    } finally {
      await sim.stop();
      unit.cleanup();
    }
  });

  it('logs in when the console asks, with the password from a file', async () => {
    const unit = makeTempDir('lineside-unit-');
    fs.writeFileSync(
      path.join(unit.dir, 'login.sh'),
      `while true; do\n  printf 'unit login: '\n  read user\n  printf 'Password: '\n  read pass\n  if [ "$user" = root ] && [ "$pass" = 'se cret' ]; then exec /bin/sh -i; fi\n  sleep 1\n  echo 'Login incorrect'\ndone\n`,
    );
    fs.writeFileSync(path.join(unit.dir, 'pw'), 'se cret\n');
    const shell = await createShellPty({ cwd: unit.dir, command: `/bin/sh ${unit.dir}/login.sh` });
    try {
      const out = await runCli([
        'store',
        'dump',
        '--port',
        shell.a,
        '--transport',
        'shell',
        '--device-dir',
        path.join(temp.dir, 'state'),
        '--user',
        'root',
        '--password-file',
        path.join(unit.dir, 'pw'),
        ...data(),
      ]);
      expect(out.stderr).toBe('');
      expect(out.stdout).toMatch(/Store \(2\)\n {2}limit\t42/);
    } finally {
      await shell.stop();
      unit.cleanup();
    }
  });

  it('evaluator claim-id --framed asks a quiet board over the framed protocol', async () => {
    const unit = makeTempDir('lineside-sim-');
    const sim = await startSimulator({ dir: unit.dir, baud: 921600 });
    try {
      // Identity written after boot: the banner had no claim ID, so only asking finds it.
      fs.mkdirSync(path.join(unit.dir, 'config'));
      fs.writeFileSync(path.join(unit.dir, 'config', 'device.json5'), "{ id: 'KX4M9T2B7Q' }\n");
      const out = await runCli([
        'evaluator',
        'claim-id',
        '--port',
        sim.path,
        '--ask-after',
        '0.3',
        '--framed',
        '--timeout',
        '15',
        ...data(),
      ]);
      expect(out.stderr).toBe('');
      expect(out.stdout).toContain('Device Claim ID: KX4M9T2B7Q');
    } finally {
      await sim.stop();
      unit.cleanup();
    }
  });
});
