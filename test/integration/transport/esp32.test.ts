/**
 * The esp32 transport (esptool-js over serialport through the Web Serial adapter) against the ROM
 * bootloader simulator over a real socat pty pair, paced like a UART: the unit's LittleFS image lands
 * in the simulated flash (checked by mounting the flash file itself), the three stages report
 * progress, faults end in the technician's sentence or are retried, and a pulled cable never
 * verifies. Also the four bad inputs: an image too big for the partition, no storage partition, a
 * chip the profile does not name, a state folder without ioto.json5.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { esp32Settings } from '../../../electron/core/esp32/profile';
import { mountLittleFs } from '../../../electron/core/littlefs';
import { openEsp32Session } from '../../../electron/core/transport/esp32';
import type { SignalState } from '../../../electron/core/transport/esp32/webSerial';
import type {
  DeviceFile,
  Esp32Settings,
  TransferProgress,
  TransportSettings,
} from '../../../electron/core/transport/types';
import { startEsp32Sim, type Esp32SimOptions, type RomFault } from '../../support/esp32Sim';
import { makeTempDir } from '../../support/tempDir';

const STORAGE = 0x210000;

const stateFiles = (iotoBytes = 2000) => [
  {
    path: 'config/ioto.json5',
    content: Buffer.from(`{ services: { mqtt: true }, pad: '${'x'.repeat(iotoBytes)}' }\n`),
  },
  { path: 'certs/roots.crt', content: crypto.randomBytes(3000) },
];

function settings(esp: Partial<Esp32Settings> = {}): TransportSettings {
  return {
    kind: 'esp32',
    baudRate: 115200,
    deviceDir: '/state',
    esp32: {
      chip: 'esp32',
      partition: { label: 'storage' },
      flashBaud: 921600,
      reset: 'classic',
      stateFiles: stateFiles(),
      ...esp,
    },
  };
}

const unitFiles = (claimId: string): DeviceFile[] => [
  {
    path: 'config/device.json5',
    content: Buffer.from(`{ product: '01J9ESP32DEMQ0KXR7V4T2N8MB', id: '${claimId}' }\n`),
    mode: 0o644,
  },
  { path: 'certs/ioto.key', content: crypto.randomBytes(1200), mode: 0o600 },
];

describe('esp32 transport against the ROM bootloader simulator', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function sim(options: Partial<Esp32SimOptions> & { faults?: RomFault[] } = {}) {
    const temp = makeTempDir('lineside-esp32-');
    cleanups.push(temp.cleanup);
    const s = await startEsp32Sim({ dir: temp.dir, eraseMsPerSector: 2, ...options });
    cleanups.push(() => s.stop());
    return s;
  }

  it('writes the state image through the stub at 921600, verifies it, and the flash mounts with every file', async () => {
    const s = await sim();
    const signals: SignalState[] = [];
    const session = await openEsp32Session(
      { path: s.path, settings: settings() },
      { onSignals: (x) => signals.push(x) },
    );
    cleanups.push(() => session.close());
    // The classic reset: RTS holds EN low while DTR pulls GPIO0 low, then both released.
    expect(signals.slice(0, 3)).toEqual([
      { dataTerminalReady: false, requestToSend: true },
      { dataTerminalReady: true, requestToSend: false },
      { dataTerminalReady: false, requestToSend: false },
    ]);
    expect(await session.readIdentity()).toEqual({ claimId: null });
    const files = unitFiles('M72DANY8BZ');
    const seen: TransferProgress[] = [];
    await session.writeFiles(files, { onProgress: (p) => seen.push(p) });
    const results = await session.verifyFiles(files, { onProgress: (p) => seen.push(p) });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => r.path)).toEqual(['config/device.json5', 'certs/ioto.key']);
    // Progress for the three stages, each ending complete.
    for (const stage of ['erase', 'write', 'verify'] as const) {
      const last = seen.filter((p) => p.stage === stage).at(-1);
      expect(last?.bytesTotal, stage).toBeGreaterThan(0);
      expect(last!.bytesDone, stage).toBe(last!.bytesTotal);
    }
    expect(s.stats.baud).toBe(921600);
    expect(s.stats.commands.MEM_END).toBe(1);
    expect(s.stats.commands.FLASH_DEFL_DATA).toBeGreaterThan(0);
    expect(await session.readIdentity()).toEqual({ claimId: 'M72DANY8BZ' });
    signals.length = 0;
    await session.commit();
    // Back into the firmware: EN pulsed low with GPIO0 high.
    expect(signals).toEqual([
      { dataTerminalReady: false, requestToSend: true },
      { dataTerminalReady: false, requestToSend: false },
    ]);
    await session.close();

    // What a unit would mount: the flash file itself, at the partition's offset.
    const flash = fs.readFileSync(s.flashFile);
    const fsOnUnit = await mountLittleFs(flash.subarray(STORAGE, STORAGE + 0x400000));
    for (const f of [...stateFiles(), ...files].filter((f) => f.path !== 'certs/roots.crt'))
      if (f.path !== 'config/ioto.json5')
        expect(Buffer.compare(await fsOnUnit.readFile(f.path), f.content), f.path).toBe(0);
    expect((await fsOnUnit.files()).map((f) => f.path).sort()).toEqual([
      'certs/ioto.key',
      'certs/roots.crt',
      'config/device.json5',
      'config/ioto.json5',
    ]);
    // Only the image's blocks were erased, not the whole 4 MB partition.
    expect(s.stats.sectorsErased).toBeLessThan(32);
  });

  it('a cable pulled mid-write fails with the cable message and never verifies', async () => {
    const s = await sim({ faults: [{ kind: 'disconnect', op: 'FLASH_DEFL_DATA', nth: 2 }] });
    const big = settings({
      stateFiles: [{ path: 'config/ioto.json5', content: crypto.randomBytes(120_000) }],
    });
    const session = await openEsp32Session({ path: s.path, settings: big });
    cleanups.push(() => session.close());
    const files = unitFiles('M72DANY8BZ');
    const failure = await session.writeFiles(files).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ code: 'device-disconnected' });
    expect((failure as Error).message).toMatch(/check the cable/);
    await expect(session.verifyFiles(files)).rejects.toMatchObject({ code: 'device-disconnected' });
  });

  it('an MD5 that does not match fails the verify; a block with a bad checksum is sent again', async () => {
    const s = await sim({
      faults: [
        { kind: 'bad-checksum', op: 'FLASH_DEFL_DATA', nth: 1 },
        { kind: 'md5-mismatch', op: 'SPI_FLASH_MD5', nth: 1 },
      ],
    });
    const session = await openEsp32Session({ path: s.path, settings: settings() });
    cleanups.push(() => session.close());
    const files = unitFiles('M72DANY8BZ');
    await session.writeFiles(files);
    expect(s.stats.faults['bad-checksum']).toBe(1);
    await expect(session.verifyFiles(files)).rejects.toMatchObject({
      code: 'verify-mismatch',
      message: expect.stringMatching(/MD5 differs/),
    });
    // The write itself was good: verifying again (MD5 now honest) passes.
    expect((await session.verifyFiles(files)).every((r) => r.ok)).toBe(true);
  });

  it('a lost reply makes esptool-js send the block again, and the sim does not write it twice', async () => {
    const s = await sim({ faults: [{ kind: 'drop-reply', op: 'FLASH_DEFL_DATA', nth: 1 }] });
    const session = await openEsp32Session({ path: s.path, settings: settings() });
    cleanups.push(() => session.close());
    const files = unitFiles('M72DANY8BZ');
    await session.writeFiles(files);
    expect(s.stats.faults['drop-reply']).toBe(1);
    expect(s.stats.commands.FLASH_DEFL_DATA).toBe(2);
    expect((await session.verifyFiles(files)).every((r) => r.ok)).toBe(true);
  });

  it('a stub that does not answer in time is uploaded again after a new connect', async () => {
    const s = await sim({ faults: [{ kind: 'drop-reply', op: 'MEM_END', nth: 1 }] });
    const session = await openEsp32Session({ path: s.path, settings: settings() });
    cleanups.push(() => session.close());
    expect(s.stats.faults['drop-reply']).toBe(1);
    expect(s.stats.commands.MEM_END).toBe(2);
    const files = unitFiles('M72DANY8BZ');
    await session.writeFiles(files);
    expect((await session.verifyFiles(files)).every((r) => r.ok)).toBe(true);
  });

  it('reset mode usb-jtag uses the USB-Serial/JTAG sequence, not the classic one', async () => {
    const s = await sim();
    const signals: SignalState[] = [];
    const session = await openEsp32Session(
      { path: s.path, settings: settings({ reset: 'usb-jtag' }) },
      { onSignals: (x) => signals.push(x) },
    );
    await session.close();
    // esptool's USB-JTAG reset drives RTS and DTR one at a time: RTS off first.
    expect(signals[0]).toEqual({ requestToSend: false });
    expect(signals).toContainEqual({ dataTerminalReady: true });
    expect(signals).not.toContainEqual({ dataTerminalReady: false, requestToSend: true });
  });

  it('reset mode none touches neither DTR nor RTS (the fixture holds the strap)', async () => {
    const s = await sim();
    const signals: SignalState[] = [];
    const session = await openEsp32Session(
      { path: s.path, settings: settings({ reset: 'none' }) },
      { onSignals: (x) => signals.push(x) },
    );
    await session.commit();
    await session.close();
    expect(signals).toEqual([]);
  });

  it('refuses, each in one sentence: no storage partition, a chip the profile does not name, an image too big, no ioto.json5', async () => {
    const none = await sim({ storageSize: null });
    await expect(openEsp32Session({ path: none.path, settings: settings() })).rejects.toThrow(
      /^The unit has no "storage" partition in its partition table: flash the Ioto firmware with its partitions\.csv first\.$/,
    );
    const s2 = await sim({ chip: 'esp32-s2' });
    await expect(openEsp32Session({ path: s2.path, settings: settings() })).rejects.toThrow(
      /^The unit is an ESP32-S2 but the profile is for ESP32: use the work order for this board, or the right board\.$/,
    );
    const small = await sim({ storageSize: 8 * 4096 });
    const session = await openEsp32Session({ path: small.path, settings: settings() });
    cleanups.push(() => session.close());
    await expect(session.writeFiles(unitFiles('M72DANY8BZ'))).rejects.toThrow(
      /^The unit's files need \d+ blocks of 4096 bytes but its storage partition has 8: make the partition larger or the files smaller\.$/,
    );
    const folder = makeTempDir('lineside-state-');
    cleanups.push(folder.cleanup);
    fs.mkdirSync(path.join(folder.dir, 'state', 'config'), { recursive: true });
    fs.writeFileSync(path.join(folder.dir, 'state', 'config', 'web.json5'), '{}');
    expect(() => esp32Settings({ stateDir: 'state' }, folder.dir)).toThrow(
      /^The profile's ESP32 state folder .*state has no config\/ioto\.json5: copy the product's ioto\.json5 there \(the agent will not start without it\)\.$/,
    );
  });
});
