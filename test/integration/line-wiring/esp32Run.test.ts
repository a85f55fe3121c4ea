/**
 * An ESP32 unit through the real station run: the shipped ioto-esp32 profile and its state folder,
 * a work order, the esp32 transport (esptool-js) against the ROM bootloader simulator on a socat pty.
 * PASS means the simulated flash, mounted as the unit would, holds the profile's shared files and
 * the unit's device.json5 byte for byte; a fault fails with its reason and keeps the claim ID.
 * Also `lineside esp image` and `lineside esp read-store` as child processes.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { afterEach, describe, expect, it } from 'vitest';
import { buildLittleFs, espGeometry, mountLittleFs } from '../../../electron/core/littlefs';
import { runCli } from '../../support/cli';
import { json5Text, storeItem, writeDeviceDb, writeJournal } from '../../support/deviceDb';
import { initialFlash, startEsp32Sim, type RomFault } from '../../support/esp32Sim';
import { createTestStation, factoryProfilesDir } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const STORAGE = 0x210000;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(faults: RomFault[] = []) {
  const station = createTestStation();
  cleanups.push(() => station.cleanup());
  const order = station.orders.createOrder({ profile: 'ioto-esp32', quantity: 3, orderId: 'WO-ESP' });
  await station.orders.reserveRemaining(order.orderId);
  station.orders.setActiveOrder(order.orderId);
  const dir = makeTempDir('lineside-esp32-unit-');
  cleanups.push(dir.cleanup);
  const sim = await startEsp32Sim({ dir: dir.dir, eraseMsPerSector: 2, faults });
  cleanups.push(() => sim.stop());
  await station.services.configureStation({ slotCount: 1, ports: { '1': sim.path } });
  return { station, sim };
}

async function unitStorage(flashFile: string) {
  return mountLittleFs(fs.readFileSync(flashFile).subarray(STORAGE, STORAGE + 0x400000));
}

describe('an ESP32 unit on the station run', () => {
  it('passes with erase, write and verify phases; the flash holds the shared state and the unit identity', async () => {
    const { station, sim } = await setup();
    const r = await station.services.startUnit({ slot: 1, orderId: 'WO-ESP', wait: true });
    expect(r, JSON.stringify(r.failure)).toMatchObject({ status: 'pass', unitState: 'verified' });
    const write = r.steps.find((s) => s.step === 'write')!;
    const verify = r.steps.find((s) => s.step === 'verify')!;
    expect(write.stages?.map((s) => [s.stage, s.done])).toEqual([
      ['erase', true],
      ['write', true],
    ]);
    expect(verify.stages?.map((s) => [s.stage, s.done])).toEqual([['verify', true]]);

    const fsOnUnit = await unitStorage(sim.flashFile);
    const written = station.store.db
      .prepare("SELECT content, sha256 FROM unit_files WHERE claim_id = ? AND path = 'config/device.json5'")
      .get(r.claimId) as { content: Buffer; sha256: string };
    const onUnit = await fsOnUnit.readFile('config/device.json5');
    // Byte-identical to what the station recorded writing (kept at rest with the token sealed).
    expect(crypto.createHash('sha256').update(onUnit).digest('hex')).toBe(written.sha256);
    expect(written.content.toString('utf8')).toContain('{{secret:');
    expect(JSON5.parse(onUnit.toString('utf8'))).toMatchObject({ id: r.claimId, model: 'ESP32-DEMO' });
    for (const shared of [
      'config/ioto.json5',
      'config/schema.json5',
      'config/web.json5',
      'site/index.html',
      'certs/roots.crt',
    ])
      expect(
        (await fsOnUnit.readFile(shared)).equals(
          fs.readFileSync(path.join(factoryProfilesDir, 'ioto-esp32', shared)),
        ),
        shared,
      ).toBe(true);
    // Registration is queued as for any other transport.
    expect(station.store.db.prepare('SELECT COUNT(*) FROM cloud_outbox').pluck().get()).toBe(1);
  });

  it('an MD5 mismatch fails the unit with its reason, keeps its claim ID, and Retry passes with the same ID', async () => {
    const { station } = await setup([{ kind: 'md5-mismatch', op: 'SPI_FLASH_MD5', nth: 1 }]);
    const failed = await station.services.startUnit({ slot: 1, orderId: 'WO-ESP', wait: true });
    expect(failed.status).toBe('fail');
    expect(failed.failure).toMatchObject({ code: 'verify-mismatch' });
    expect(failed.failure!.message).toMatch(/did not read back as written/);
    expect(failed.failure!.detail).toMatch(/MD5 differs/);
    expect(station.store.units.get(failed.claimId!)!.state).toBe('failed');
    const again = await station.services.retryUnit({ slot: 1 });
    const done = await waitFor(() => {
      const s = station.station.state().slots.find((x) => x.slot === 1)!;
      const finished = s.status === 'pass' || s.status === 'fail';
      return finished && s.startedAt !== failed.startedAt ? s : null;
    });
    expect(again.claimId ?? done.claimId).toBe(failed.claimId);
    expect(done).toMatchObject({ status: 'pass', claimId: failed.claimId, unitState: 'verified' });
  });

  it('a cable pulled mid-write fails with the cable message and the unit is never verified', async () => {
    const { station } = await setup([{ kind: 'disconnect', op: 'FLASH_DEFL_DATA', nth: 1 }]);
    const r = await station.services.startUnit({ slot: 1, orderId: 'WO-ESP', wait: true });
    expect(r.status).toBe('fail');
    expect(r.failure).toMatchObject({ code: 'device-disconnected' });
    expect(r.failure!.message).toBe('Slot 1: the unit disconnected while writing its files.');
    expect(r.nextAction).toBe('Check the cable and press Retry.');
    expect(station.store.units.get(r.claimId!)!.state).toBe('failed');
  });
});

async function waitFor<T>(probe: () => T | null, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('lineside esp image and esp read-store', () => {
  it('esp image writes a partition image that mounts with the unit files, without a unit', async () => {
    const temp = makeTempDir('lineside-esp-cli-');
    cleanups.push(temp.cleanup);
    const data = ['--data-dir', temp.dir];
    expect(
      (
        await runCli([
          'orders',
          'create',
          '--profile',
          'ioto-esp32',
          '--quantity',
          '1',
          '--order',
          'E1',
          ...data,
        ])
      ).code,
    ).toBe(0);
    const listed = JSON.parse((await runCli(['units', 'list', '--json', ...data])).stdout) as {
      value: { items: Array<{ claimId: string }> };
    };
    const claimId = listed.value.items[0]!.claimId;
    const out = path.join(temp.dir, 'storage.bin');
    const made = await runCli([
      'esp',
      'image',
      '--order',
      'E1',
      '--claim-id',
      claimId,
      '--out',
      out,
      ...data,
    ]);
    expect(made.code, made.stderr).toBe(0);
    const image = fs.readFileSync(out);
    expect(image.length).toBe(0x400000);
    const fsImage = await mountLittleFs(image);
    expect(JSON5.parse((await fsImage.readFile('config/device.json5')).toString())).toMatchObject({
      id: claimId,
    });
    expect(await fsImage.exists('config/ioto.json5')).toBe(true);
    // A unit the order does not have: one sentence, exit 4.
    const wrong = await runCli([
      'esp',
      'image',
      '--order',
      'E1',
      '--claim-id',
      'NOPE000000',
      '--out',
      out,
      ...data,
    ]);
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toMatch(/Work order E1 has no unit with claim ID NOPE000000\./);
  });

  it('esp read-store shows the Store and identity of a unit whose storage holds a device.db', async () => {
    const temp = makeTempDir('lineside-esp-read-');
    cleanups.push(temp.cleanup);
    const at = '2026-11-30T10:00:00.000Z';
    const db = writeDeviceDb([storeItem('temperature', 21.5, at), storeItem('mode', 'eco', at)]);
    const jnl = writeJournal([
      { command: 'upsert', model: 'Store', value: { ...storeItem('mode', 'boost', at) } },
    ]);
    const { image } = buildLittleFs(
      [
        {
          path: 'config/device.json5',
          content: Buffer.from(json5Text({ product: '01J9ESP32DEMQ0KXR7V4T2N8MB', id: 'M72DANY8BZ' })),
        },
        { path: 'config/ioto.json5', content: Buffer.from('{}') },
        { path: 'db/device.db', content: db },
        { path: 'db/device.db.jnl', content: jnl },
      ],
      espGeometry(0x400000),
    );
    const flash = initialFlash({});
    image.copy(flash, STORAGE);
    fs.writeFileSync(path.join(temp.dir, 'flash.bin'), flash);
    const sim = await startEsp32Sim({ dir: temp.dir });
    cleanups.push(() => sim.stop());
    const r = await runCli(['esp', 'read-store', '--port', sim.path, '--json', '--data-dir', temp.dir]);
    expect(r.code, r.stderr).toBe(0);
    const value = (JSON.parse(r.stdout) as { value: Record<string, unknown> }).value;
    expect(value).toMatchObject({
      chip: 'ESP32',
      claimId: 'M72DANY8BZ',
      identityFiles: ['config/device.json5'],
    });
    expect(value.store).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'temperature', value: '21.5' }),
        expect.objectContaining({ key: 'mode', value: 'boost' }),
      ]),
    );
    // Only the blocks holding the files were read, not the 4 MB partition.
    expect(sim.stats.bytesSent).toBeLessThan(200_000);
  });
});
