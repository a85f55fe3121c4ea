/**
 * The pipelined FLASH_DEFL_DATA writer (electron/core/transport/esp32/deflWrite.ts) against the
 * ROM bootloader simulator over a real socat pty pair, with a multi-block image (about 8 blocks of
 * 16 KiB): it never sends a block before the stub acknowledged the one before (the simulator
 * counts an overrun of the stub's two receive buffers and fails the write), and every fault
 * mid-stream ends as before: a lost reply or a refused block is sent again and the flash file
 * then equals the image byte for byte (nothing acknowledged and lost), a pulled cable fails with
 * the cable message, an MD5 that differs fails the verify.
 *
 * Also the simulator's own check, at the ROM level: a host that sends a third block while one is
 * being written and another waits is caught, so "no overrun" above means something.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { buildUnitImage } from '../../../electron/core/esp32/image';
import { openEsp32Session, type Esp32Session } from '../../../electron/core/transport/esp32';
import type { DeviceFile, TransportSettings } from '../../../electron/core/transport/types';
import { startEsp32Sim, type Esp32SimOptions, type RomFault } from '../../support/esp32Sim';
import { createRom, Op } from '../../support/esp32Sim/rom';
import { makeTempDir } from '../../support/tempDir';

const STORAGE = 0x210000;
const stateFiles = [
  { path: 'config/ioto.json5', content: Buffer.from(`{ services: { mqtt: true } }\n`) },
  // Random bytes do not compress: about 8 blocks of 16 KiB on the wire.
  { path: 'site/assets/big.webp', content: crypto.randomBytes(120_000) },
];

const settings = (): TransportSettings => ({
  kind: 'esp32',
  baudRate: 115200,
  deviceDir: '/state',
  esp32: {
    chip: 'esp32',
    partition: { label: 'storage' },
    flashBaud: 921600,
    reset: 'classic',
    stateFiles,
  },
});

const unitFiles = (claimId: string): DeviceFile[] => [
  {
    path: 'config/device.json5',
    content: Buffer.from(`{ product: '01J9ESP32DEMQ0KXR7V4T2N8MB', id: '${claimId}' }\n`),
    mode: 0o644,
  },
  { path: 'certs/ioto.key', content: crypto.randomBytes(1200), mode: 0o600 },
];

describe('the pipelined compressed write', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function open(faults: RomFault[] = [], extra: Partial<Esp32SimOptions> = {}) {
    const temp = makeTempDir('lineside-esp32-pipe-');
    cleanups.push(temp.cleanup);
    const sim = await startEsp32Sim({ dir: temp.dir, eraseMsPerSector: 2, faults, ...extra });
    cleanups.push(() => sim.stop());
    const session = await openEsp32Session({ path: sim.path, settings: settings() });
    cleanups.push(() => session.close());
    return { sim, session };
  }

  /** The flash file at the partition holds exactly the image the session wrote. */
  function expectFlashHolds(flashFile: string, session: Esp32Session, files: DeviceFile[]) {
    const image = buildUnitImage(stateFiles, files, session.partition.size);
    const flash = fs.readFileSync(flashFile);
    const onUnit = flash.subarray(STORAGE, STORAGE + image.payload.length);
    expect(Buffer.compare(onUnit, image.payload)).toBe(0);
  }

  it('sends each block only after the one before was acknowledged, never overruns the stub, and lands every byte', async () => {
    const { sim, session } = await open();
    const files = unitFiles('M72DANY8BZ');
    await session.writeFiles(files);
    const w = session.lastWrite!;
    expect(w.blocks).toBeGreaterThanOrEqual(6);
    expect(sim.stats.commands.FLASH_DEFL_DATA).toBe(w.blocks);
    expect(w.retransmissions).toBe(0);
    for (let i = 1; i < w.blocks; i++) expect(w.sentAt[i]!).toBeGreaterThanOrEqual(w.ackAt[i - 1]!);
    expect(sim.stats.overruns).toBe(0);
    // The stub erased as it wrote (nothing beforehand) and spent time programming.
    expect(sim.stats.commands.ERASE_REGION ?? 0).toBe(0);
    expect(sim.stats.sectorsErased).toBeGreaterThan(0);
    expect(sim.stats.busyMs).toBeGreaterThan(0);
    expectFlashHolds(sim.flashFile, session, files);
    expect((await session.verifyFiles(files)).every((r) => r.ok)).toBe(true);
  });

  it('a 12-sector image is erased as one 64 KiB block (150 ms) instead of 12 sectors (540 ms), erased bytes after the image, padding programmed too', async () => {
    const { sim, session } = await open([], {
      eraseMsPerSector: 45,
      blockEraseMs: 150,
      programMsPerPage: 0.4,
    });
    // Old bytes where the padding goes: they become erased flash, and nothing reads them.
    sim.flash().fill(0x5a, STORAGE + 12 * 4096, STORAGE + 0x10000);
    const payload = crypto.randomBytes(12 * 4096 - 300);
    await session.writeImage(payload, { compress: true });
    const w = session.lastWrite!;
    expect(w.uncompressedBytes).toBe(payload.length);
    expect(w.regionBytes).toBe(0x10000);
    expect(sim.stats.sectorsErased).toBe(16);
    // One block erase plus 256 pages programmed (the 0xFF padding is programmed too), against
    // 12 sector erases and 192 pages without the padding: 252 ms instead of 617 ms.
    // (The simulator charges each inflated chunk's partial pages, so a few more pages.)
    expect(sim.stats.busyMs).toBeGreaterThanOrEqual(150 + 256 * 0.4);
    expect(sim.stats.busyMs).toBeLessThan(150 + 264 * 0.4);
    const flash = fs.readFileSync(sim.flashFile);
    expect(Buffer.compare(flash.subarray(STORAGE, STORAGE + payload.length), payload)).toBe(0);
    expect(flash.subarray(STORAGE + payload.length, STORAGE + 0x10000).every((b) => b === 0xff)).toBe(true);
  });

  it('a reply lost mid-stream: the block goes again with its sequence number and the flash equals the image', async () => {
    const { sim, session } = await open([{ kind: 'drop-reply', op: 'FLASH_DEFL_DATA', nth: 3 }]);
    const files = unitFiles('M72DANY8BZ');
    const report = await session.writeFiles(files);
    expect(sim.stats.faults['drop-reply']).toBe(1);
    expect(report.retransmissions).toBe(1);
    expect(sim.stats.commands.FLASH_DEFL_DATA).toBe(session.lastWrite!.blocks + 1);
    expect(sim.stats.overruns).toBe(0);
    expectFlashHolds(sim.flashFile, session, files);
    expect((await session.verifyFiles(files)).every((r) => r.ok)).toBe(true);
  });

  it('a block refused for its checksum mid-stream is sent again and the flash equals the image', async () => {
    const { sim, session } = await open([{ kind: 'bad-checksum', op: 'FLASH_DEFL_DATA', nth: 2 }]);
    const files = unitFiles('M72DANY8BZ');
    const report = await session.writeFiles(files);
    expect(sim.stats.faults['bad-checksum']).toBe(1);
    expect(report.retransmissions).toBe(1);
    expect(sim.stats.overruns).toBe(0);
    expectFlashHolds(sim.flashFile, session, files);
    expect((await session.verifyFiles(files)).every((r) => r.ok)).toBe(true);
  });

  it('an MD5 that differs fails the verify with the same sentence', async () => {
    const { session } = await open([{ kind: 'md5-mismatch', op: 'SPI_FLASH_MD5', nth: 1 }]);
    const files = unitFiles('M72DANY8BZ');
    await session.writeFiles(files);
    await expect(session.verifyFiles(files)).rejects.toMatchObject({
      code: 'verify-mismatch',
      message:
        "The unit's flash does not hold what was written (its MD5 differs): press Retry to write it again.",
    });
  });

  it('a cable pulled mid-stream fails with the cable message and never verifies', async () => {
    const { session } = await open([{ kind: 'disconnect', op: 'FLASH_DEFL_DATA', nth: 4 }]);
    const files = unitFiles('M72DANY8BZ');
    const failure = await session.writeFiles(files).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({
      code: 'device-disconnected',
      message: 'The unit was unplugged or its cable failed while flashing: check the cable and press Retry.',
    });
    await expect(session.verifyFiles(files)).rejects.toMatchObject({ code: 'device-disconnected' });
  });
});

describe("the simulator's stub receive buffers", () => {
  /** A bare ROM on an in-memory line: packets in, replies out. */
  function bareStub(programMsPerPage: number) {
    const replies: Buffer[] = [];
    const flash = Buffer.alloc(0x100000, 0xff);
    const rom = createRom({
      flash,
      chip: 'esp32',
      eraseMsPerSector: 1,
      programMsPerPage,
      faults: [],
      io: {
        send: (p) => replies.push(p),
        setBaud: () => undefined,
        disconnect: () => undefined,
        persist: () => undefined,
        busy: (ms) => new Promise((r) => setTimeout(r, ms)),
      },
    });
    const command = (op: number, data: Buffer, chk = 0) => {
      const head = Buffer.alloc(8);
      head[1] = op;
      head.writeUInt16LE(data.length, 2);
      head.writeUInt32LE(chk, 4);
      rom.packet(Buffer.concat([head, data]));
    };
    const words = (...v: number[]) => {
      const b = Buffer.alloc(4 * v.length);
      v.forEach((x, i) => b.writeUInt32LE(x, 4 * i));
      return b;
    };
    return { rom, replies, command, words };
  }

  async function run(sendAllAtOnce: boolean) {
    const { rom, replies, command, words } = bareStub(0.2);
    const deadline = Date.now() + 20_000;
    const until = async (ok: () => boolean) => {
      while (!ok()) {
        if (Date.now() > deadline) throw new Error('the stub did not answer');
        await new Promise((r) => setImmediate(r));
      }
    };
    command(Op.MEM_END, words(0, 0)); // the stub starts
    await until(() => rom.stub);
    const payload = crypto.randomBytes(48 * 1024);
    const packed = zlib.deflateSync(payload);
    const size = 0x4000;
    const blocks = Math.ceil(packed.length / size);
    command(Op.FLASH_DEFL_BEGIN, words(payload.length, blocks, size, 0x10000));
    await until(() => replies.some((r) => r[1] === Op.FLASH_DEFL_BEGIN));
    const acks = () => replies.filter((r) => r[1] === Op.FLASH_DEFL_DATA).length;
    for (let seq = 0; seq < blocks; seq++) {
      const block = packed.subarray(seq * size, (seq + 1) * size);
      const chk = block.reduce((c, b) => c ^ b, 0xef);
      command(Op.FLASH_DEFL_DATA, Buffer.concat([words(block.length, seq, 0, 0), block]), chk);
      if (!sendAllAtOnce) await until(() => acks() > seq);
    }
    command(Op.FLASH_DEFL_END, words(1));
    await until(() => replies.some((r) => r[1] === Op.FLASH_DEFL_END));
    const end = replies.find((r) => r[1] === Op.FLASH_DEFL_END)!;
    return { overruns: rom.stats.overruns, endStatus: end[end.length - 2], blocks };
  }

  it('a host that waits for each acknowledgement is fine; one that sends ahead overwrites a block being written', async () => {
    const polite = await run(false);
    expect(polite.blocks).toBeGreaterThanOrEqual(3);
    expect(polite).toMatchObject({ overruns: 0, endStatus: 0 });
    const eager = await run(true);
    expect(eager.overruns).toBeGreaterThan(0);
    expect(eager.endStatus).not.toBe(0);
  });
});
