/**
 * The framed transport against the simulated unit over a real socat pty pair, paced like a UART:
 * files arrive intact, every injected fault is recovered by retransmission (and counted) or ends
 * in a clear failure, and a pulled cable never reports success.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openFramedSession, type FramedSession } from '../../../electron/core/transport/framed';
import type { DeviceFile, TransportSettings } from '../../../electron/core/transport/types';
import { startSimulator, type Fault, type Simulator } from '../../support/deviceSim';
import { makeTempDir } from '../../support/tempDir';

const settings: TransportSettings = { kind: 'framed', baudRate: 921600, deviceDir: '', timeoutMs: 5000 };

function unitFiles(claimId: string, keyBytes = 9000): DeviceFile[] {
  return [
    {
      path: 'config/device.json5',
      content: Buffer.from(`{\n  product: '01H4R15D3478JD26YDYK408XE6',\n  id: '${claimId}',\n}\n`),
      mode: 0o644,
    },
    { path: 'certs/ioto.key', content: randomBytes(keyBytes), mode: 0o600 },
  ];
}

describe('framed transport against the simulated unit', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function sim(
    faults: Fault[] = [],
    extra: { baud?: number; protocolVersion?: number; oldestVersion?: number; withoutDeflate?: boolean } = {},
  ) {
    const temp = makeTempDir('lineside-sim-');
    cleanups.push(temp.cleanup);
    // 1 KiB frames: a file takes several, so faults can land in the middle of one.
    const s: Simulator = await startSimulator({
      maxPayload: 1024,
      dir: temp.dir,
      baud: extra.baud ?? 921600,
      faults,
      ...extra,
    });
    cleanups.push(() => s.stop());
    return { dir: temp.dir, sim: s };
  }

  async function open(port: string, over: Partial<TransportSettings> = {}): Promise<FramedSession> {
    const session = await openFramedSession({ path: port, settings: { ...settings, ...over } });
    cleanups.push(() => session.close());
    return session;
  }

  function expectOnUnit(dir: string, files: DeviceFile[]) {
    for (const f of files) {
      const p = path.join(dir, f.path);
      expect(fs.readFileSync(p).equals(f.content), f.path).toBe(true);
      expect((fs.statSync(p).mode & 0o777).toString(8)).toBe(f.mode.toString(8));
    }
  }

  it('files arrive intact, read back by SHA-256, GET and the Store work, and the banner shows the claim ID', async () => {
    const { dir, sim: s } = await sim();
    const console: string[] = [];
    const session = await openFramedSession({
      path: s.path,
      settings,
      onConsole: (t) => console.push(t),
    });
    cleanups.push(() => session.close());
    expect(session.identity).toMatchObject({
      transport: 'framed',
      protocolVersion: 3,
      maxFrame: 1024,
      serial: 'SIM-0001',
    });
    const files = unitFiles('M72DANY8BZ');
    const report = await session.writeFiles(files);
    expect(report).toEqual({ bytes: files[0]!.content.length + 9000, retransmissions: 0 });
    expectOnUnit(dir, files);
    const verified = await session.verifyFiles(files);
    expect(verified.map((v) => v.ok)).toEqual([true, true]);
    // Version 3: one stream for both files through the window, read back in the last frame's reply.
    expect(session.stats.maxInFlight).toBeGreaterThan(1);
    expect(s.stats.commands.SET_BEGIN).toBe(1);
    expect(s.stats.commands.PUT_BEGIN ?? 0).toBe(0);
    expect(s.stats.commands.VERIFY ?? 0).toBe(0);
    expect(s.stats.commands.HASH ?? 0).toBe(0);
    await session.commit();
    expect((await session.readFile('certs/ioto.key')).equals(files[1]!.content)).toBe(true);

    await session.storeSet('site', '{"value":"Plant 3"}');
    await session.storeSet('mode', '"eco"');
    expect(await session.storeList()).toEqual(['mode', 'site']);
    expect(await session.storeGet('site')).toBe('{"value":"Plant 3"}');
    expect(await session.storeGet('nope')).toBeNull();
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'db/store.json'), 'utf8'))).toMatchObject({
      mode: '"eco"',
    });

    await session.reboot();
    await expect.poll(() => console.join('')).toContain('Device Claim ID: M72DANY8BZ');
    expect(s.stats.badFrames).toBe(0);
  });

  const recovered: Array<[string, Fault]> = [
    ['a flipped byte in a request', { kind: 'flip', nth: 2 }],
    ['dropped bytes in a request', { kind: 'drop', nth: 1 }],
    ['a flipped byte in a reply', { kind: 'flip-reply', nth: 3 }],
    ['a stall longer than the reply timeout', { kind: 'stall', nth: 2, ms: 1200 }],
  ];
  for (const [[name, fault], version] of recovered.flatMap((r) => [1, 2, 3].map((v) => [r, v] as const))) {
    it(`v${version}: recovers from ${name} by retransmission, and counts it`, async () => {
      const { dir, sim: s } = await sim([fault], { protocolVersion: version });
      const session = await open(s.path);
      const files = unitFiles('AB12CD34EF');
      const report = await session.writeFiles(files);
      expect(s.stats.faultsInjected[fault.kind]).toBe(1);
      expect(report.retransmissions).toBeGreaterThanOrEqual(1);
      expect((await session.verifyFiles(files)).every((v) => v.ok)).toBe(true);
      expectOnUnit(dir, files);
      if (fault.kind === 'flip') expect(session.stats.naks).toBeGreaterThanOrEqual(1);
      if (fault.kind === 'flip-reply') expect(session.stats.badFrames).toBeGreaterThanOrEqual(1);
      if (fault.kind === 'stall') expect(session.stats.timeouts).toBeGreaterThanOrEqual(1);
      // v1 notices lost bytes by its timeout; v2 and v3 sooner, by the unit's NAK of the next frame.
      if (fault.kind === 'drop')
        expect(session.stats.timeouts + (version >= 2 ? session.stats.naks : 0)).toBeGreaterThanOrEqual(1);
      // Retransmitted chunks were answered from the cache, never appended twice.
      expect(fs.statSync(path.join(dir, 'certs/ioto.key')).size).toBe(9000);
    });
  }

  it('a wrong hash from the unit fails the read-back', async () => {
    const { sim: s } = await sim([{ kind: 'wrong-hash', nth: 1 }]);
    const session = await open(s.path);
    const files = unitFiles('AB12CD34EF');
    await session.writeFiles(files);
    const verified = await session.verifyFiles(files);
    expect(verified[0]).toMatchObject({
      ok: false,
      expected: createHash('sha256').update(files[0]!.content).digest('hex'),
    });
    expect(verified[0]!.actual).not.toBe(verified[0]!.expected);
    expect(verified[1]!.ok).toBe(true);
  });

  it('a disconnect mid-transfer never reports success and leaves no half file in place', async () => {
    const { dir, sim: s } = await sim([{ kind: 'disconnect', nth: 2 }]);
    const session = await open(s.path);
    const files = unitFiles('AB12CD34EF');
    await expect(session.writeFiles(files)).rejects.toMatchObject({
      code: 'device-disconnected',
      message: expect.stringMatching(/went away.*not marked verified/),
    });
    expect(fs.existsSync(path.join(dir, 'certs/ioto.key'))).toBe(false);
    await expect(session.verifyFiles(files)).rejects.toMatchObject({ code: 'device-disconnected' });
  });

  it('a unit that stays silent ends in a clear timeout', async () => {
    const { sim: s } = await sim([{ kind: 'stall', command: 'SET_BEGIN', nth: 1, ms: 30_000 }]);
    const session = await open(s.path);
    await expect(session.writeFiles(unitFiles('AB12CD34EF'))).rejects.toMatchObject({
      code: 'device-timeout',
      message: expect.stringMatching(
        /No answer from the unit while writing config\/device.json5, certs\/ioto.key, after 8 tries/,
      ),
    });
  });

  it('says clearly when the unit speaks another protocol version', async () => {
    const { sim: s } = await sim([], { protocolVersion: 4, oldestVersion: 4 });
    await expect(openFramedSession({ path: s.path, settings })).rejects.toMatchObject({
      code: 'protocol',
      message:
        "The unit speaks framed protocol v4; this Lineside speaks v1 to v3. Update the unit's firmware or Lineside.",
    });
  });

  it('a unit speaking the old revision (v1) still works: stop-and-wait, HASH per file', async () => {
    const { dir, sim: s } = await sim([], { protocolVersion: 1 });
    const session = await open(s.path);
    expect(session.identity.protocolVersion).toBe(1);
    const files = unitFiles('M72DANY8BZ');
    await session.writeFiles(files);
    expectOnUnit(dir, files);
    expect((await session.verifyFiles(files)).map((v) => v.ok)).toEqual([true, true]);
    expect(session.stats.maxInFlight).toBe(1);
    expect(s.stats.commands.VERIFY ?? 0).toBe(0);
    expect(s.stats.commands.HASH).toBe(2);
    expect(s.stats.duplicates).toBe(0);
  });

  it('v3: a missing file fails the one-exchange read-back and names the file', async () => {
    const { sim: s } = await sim();
    const session = await open(s.path);
    const files = unitFiles('M72DANY8BZ');
    await session.writeFiles(files);
    const never = { path: 'config/never-written.json5', content: Buffer.from('{}'), mode: 0o644 };
    const verified = await session.verifyFiles([...files, never]);
    expect(verified.map((v) => [v.path, v.ok, v.actual === null])).toEqual([
      ['config/device.json5', true, false],
      ['certs/ioto.key', true, false],
      ['config/never-written.json5', false, true],
    ]);
    // The write's own read-back was about other files: this one asked the unit again (VERIFY).
    expect(s.stats.commands.VERIFY).toBe(1);
  });

  it('a unit speaking v2 still works: PUT per file through the window, one VERIFY', async () => {
    const { dir, sim: s } = await sim([], { protocolVersion: 2 });
    const session = await open(s.path);
    expect(session.identity.protocolVersion).toBe(2);
    const files = unitFiles('M72DANY8BZ');
    await session.writeFiles(files);
    expectOnUnit(dir, files);
    expect((await session.verifyFiles(files)).map((v) => v.ok)).toEqual([true, true]);
    expect(session.stats.maxInFlight).toBeGreaterThan(1);
    expect(s.stats.commands.SET_BEGIN ?? 0).toBe(0);
    expect(s.stats.commands.PUT_BEGIN).toBe(2);
    expect(s.stats.commands.VERIFY).toBe(1);
    expect(s.stats.commands.HASH ?? 0).toBe(0);
  });

  it('v3: text files go deflated (fewer bytes on the wire than in the files); a unit without an inflater gets them stored', async () => {
    const text = (claimId: string): DeviceFile[] => [
      ...unitFiles(claimId, 0).slice(0, 1),
      {
        path: 'certs/ioto.crt',
        content: Buffer.from(`-----BEGIN CERTIFICATE-----\n${'QUJD'.repeat(400)}\n`),
        mode: 0o644,
      },
    ];
    for (const withoutDeflate of [false, true]) {
      const { dir, sim: s } = await sim([], { withoutDeflate });
      const session = await open(s.path);
      const files = text('M72DANY8BZ');
      const size = files.reduce((n, f) => n + f.content.length, 0);
      await session.writeFiles(files);
      expect((await session.verifyFiles(files)).every((v) => v.ok)).toBe(true);
      expectOnUnit(dir, files);
      const sent = s.stats.bytesReceived;
      if (withoutDeflate) expect(sent).toBeGreaterThan(size);
      else expect(sent).toBeLessThan(size / 2);
    }
  });

  const v3Recovery: Array<[string, Fault]> = [
    ['a whole frame lost on the wire', { kind: 'lose', command: 'SET_DATA', nth: 2 }],
    ['a corrupted byte in a frame', { kind: 'flip', command: 'SET_DATA', nth: 3 }],
    ['a duplicated reply', { kind: 'dup-reply', command: 'SET_DATA', nth: 1 }],
    [
      'a lost last frame (the one whose reply reads the set back)',
      { kind: 'lose', command: 'SET_DATA', nth: 8 },
    ],
  ];
  for (const [name, fault] of v3Recovery)
    it(`v3: a file set survives ${name}, verified by read-back, each byte applied once`, async () => {
      const { dir, sim: s } = await sim([fault]);
      const session = await open(s.path);
      const files = unitFiles('AB12CD34EF');
      await session.writeFiles(files);
      expect(s.stats.faultsInjected[fault.kind]).toBe(1);
      expect((await session.verifyFiles(files)).every((v) => v.ok)).toBe(true);
      expectOnUnit(dir, files);
      if (fault.kind === 'dup-reply') expect(session.stats.retransmissions).toBe(0);
      else expect(session.stats.retransmissions).toBeGreaterThanOrEqual(1);
      expect(s.stats.commands.SET_BEGIN).toBe(1);
      expect(fs.statSync(path.join(dir, 'certs/ioto.key')).size).toBe(9000);
    });

  it('v3: a unit that resets in the middle of a set fails clearly, holds no half file, and takes the set on the next session', async () => {
    const { dir, sim: s } = await sim([{ kind: 'reset', command: 'SET_DATA', nth: 4 }]);
    const session = await open(s.path);
    const files = unitFiles('AB12CD34EF');
    await expect(session.writeFiles(files)).rejects.toMatchObject({
      code: 'device-refused',
      message: expect.stringMatching(/lost the file set.*Nothing was marked verified/),
    });
    expect(s.stats.faultsInjected.reset).toBe(1);
    for (const f of files) expect(fs.existsSync(path.join(dir, f.path)), f.path).toBe(false);
    // The restarted unit has not said HELLO again: the read-back fails (never a pass).
    await expect(session.verifyFiles(files)).rejects.toMatchObject({ code: 'protocol' });
    await session.close();
    const again = await open(s.path);
    await again.writeFiles(files);
    expect((await again.verifyFiles(files)).every((v) => v.ok)).toBe(true);
    expectOnUnit(dir, files);
  });

  it('v2: a file changed on the unit after the write is caught by a later read-back', async () => {
    const { dir, sim: s } = await sim();
    const session = await open(s.path);
    const files = unitFiles('M72DANY8BZ');
    await session.writeFiles(files);
    expect((await session.verifyFiles(files)).every((v) => v.ok)).toBe(true);
    fs.writeFileSync(path.join(dir, 'certs/ioto.key'), 'damaged');
    const again = await session.verifyFiles(files);
    expect(again.map((v) => v.ok)).toEqual([true, false]);
  });

  it('the simulated line is no faster than a real UART at its baud (8N1: 10 bits per byte)', async () => {
    const { sim: s } = await sim([], { baud: 115200 });
    const session = await open(s.path, { baudRate: 115200 });
    const file = { path: 'config/blob.bin', content: randomBytes(4096), mode: 0o644 };
    const start = performance.now();
    await session.writeFiles([file]);
    const wireMs = ((4096 + 12) * 10 * 1000) / 115200;
    expect(performance.now() - start).toBeGreaterThanOrEqual(wireMs);
  });

  it('four units on four pty pairs take their files in parallel', async () => {
    const units = await Promise.all([1, 2, 3, 4].map(() => sim([], { baud: 115200 })));
    const ids = ['AAAAAAAAA1', 'BBBBBBBBB2', 'CCCCCCCCC3', 'DDDDDDDDD4'];
    const sessions = await Promise.all(units.map((u) => open(u.sim.path, { baudRate: 115200 })));
    const spans: Array<{ start: number; end: number }> = [];
    await Promise.all(
      sessions.map(async (session, i) => {
        const files = unitFiles(ids[i]!, 16_384); // ~1.4 s of wire time each at 115200
        const start = performance.now();
        await session.writeFiles(files);
        spans.push({ start, end: performance.now() });
        expect((await session.verifyFiles(files)).every((v) => v.ok)).toBe(true);
        await session.commit();
      }),
    );
    units.forEach((u, i) =>
      expect(fs.readFileSync(path.join(u.dir, 'config/device.json5'), 'utf8')).toContain(`id: '${ids[i]}'`),
    );
    // They really ran side by side: every transfer started before any of them finished.
    expect(Math.max(...spans.map((s) => s.start))).toBeLessThan(Math.min(...spans.map((s) => s.end)));
  });
});
