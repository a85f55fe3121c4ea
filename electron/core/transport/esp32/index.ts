/**
 * The esp32 transport: an Ioto ESP32 unit has no shell and no framed protocol; its identity lives
 * in a LittleFS partition mounted at /state (ioto-contracts.md §8). Opening a session enters the
 * ROM bootloader (classic DTR/RTS reset, USB-Serial/JTAG reset, or none for a fixture that holds the
 * strap), detects the chip, uploads the flasher stub, raises the baud rate and reads the partition
 * table at 0x8000. `writeFiles` builds the unit's state image (the profile's shared files plus the
 * unit's files) and writes only its used blocks: erase, then compressed write. `verifyFiles` checks
 * the flash MD5, reads the region back and mounts it to compare every file. `commit` resets the
 * unit into its firmware. The protocol is Espressif's esptool-js, driven over `serialport` through
 * a small Web Serial adapter (webSerial.ts).
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { ESPLoader } from 'esptool-js';
import JSON5 from 'json5';
import { Failure, isFailure } from '../../failure';
import { buildUnitImage, type UnitImage } from '../../esp32/image';
import { mountLittleFs, type MountedFs } from '../../littlefs';
import type {
  DeviceFile,
  DeviceSession,
  Esp32Settings,
  HeldIdentity,
  OpenSessionOptions,
  TransferOptions,
  VerifyResult,
  WriteReport,
} from '../types';
import { parseHeldIdentity } from '../heldIdentity';
import { chooseStoragePartition } from './partitionChoice';
import {
  PARTITION_TABLE_OFFSET,
  PARTITION_TABLE_SIZE,
  parsePartitionTable,
  type Partition,
} from './partitions';
import { writeDeflBlocks, type DeflWriteStats } from './deflWrite';
import { eraseFriendlyLength } from './eraseRegion';
import { NodeWebSerialPort, type SignalState, type WebSerialInfo } from './webSerial';

export const ROM_BAUD = 115200;
const DEVICE_JSON5 = 'config/device.json5';

export interface Esp32Session extends DeviceSession {
  readonly chip: string;
  readonly partition: { label: string; offset: number; size: number };
  /** Reads the storage partition on demand and mounts it (field use, and "what does the unit hold"). */
  mountStorage(): Promise<MountedFs>;
  /** The `id` in the unit's /state/config/device.json5, before anything is written. */
  readIdentity(options?: TransferOptions): Promise<HeldIdentity>;
  /** The timing of the last compressed write (the bench's line-efficiency figure), or null. */
  lastWrite: WriteTiming | null;
  /** Resets the unit into its firmware (not for reset mode `none`). */
  resetToFirmware(): Promise<void>;
  /** Erases and writes an image's used bytes at the partition (writeFiles builds it; the bench compares compression). */
  writeImage(
    payload: Buffer,
    how: {
      compress: boolean;
      fileCount?: number;
      onProgress?: TransferOptions['onProgress'];
      /** The bench's baseline: each block through esptool-js's flashDeflBlock, one await per block. */
      blocksVia?: 'esptool-js';
    },
  ): Promise<WriteReport>;
}

/** One compressed write: the block timings, plus FLASH_DEFL_BEGIN sent and FLASH_DEFL_END answered. */
export interface WriteTiming extends DeflWriteStats {
  beganAt: number;
  endedAt: number;
  baud: number;
  /** The image's bytes. */
  uncompressedBytes: number;
  /** What FLASH_DEFL_BEGIN covered: the image, padded with erased bytes to a 64 KiB block where that erases faster. */
  regionBytes: number;
}

export interface Esp32SessionDeps {
  info?: WebSerialInfo;
  onSignals?: (s: SignalState) => void;
  /** How many times to try entering the bootloader (esptool-js resets between tries). */
  attempts?: number;
}

type Loader = ESPLoader;

const chipName = (name: string) => name.toLowerCase().replace(/\s+/g, '');

export async function openEsp32Session(
  options: OpenSessionOptions,
  deps: Esp32SessionDeps = {},
): Promise<Esp32Session> {
  const esp = options.settings.esp32;
  if (!esp)
    throw new Failure(
      'validation',
      'The profile names the esp32 transport but has no esp32 section: add one on the Profiles screen.',
    );
  const { ESPLoader, Transport } = await import('esptool-js');
  const device = new NodeWebSerialPort({
    path: options.path,
    ...(deps.info ? { info: deps.info } : {}),
    ...(deps.onSignals ? { onSignals: deps.onSignals } : {}),
  });
  const say = (s: string) => options.onConsole?.(s);
  const terminal = {
    clean() {},
    writeLine: (s: string) => say(`${s}\n`),
    write: (s: string) => say(s),
  };
  const transport = new Transport(device as unknown as ConstructorParameters<typeof Transport>[0], false);
  // esptool-js prints some trace lines with console.log whatever its tracing flag: keep stdout clean.
  transport.trace = (message: string) => void message;
  const loader: Loader = new ESPLoader({
    transport,
    baudrate: esp.flashBaud,
    romBaudrate: ROM_BAUD,
    terminal,
    debugLogging: false,
  });

  /** What a failure inside esptool-js means for the technician. */
  const guard = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      if (options.signal?.aborted) throw new Failure('cancelled', 'Cancelled.');
      if (device.lost) throw new Error('the serial port closed earlier');
      return await work();
    } catch (error) {
      if (isFailure(error)) throw error;
      const detail = `${what}: ${error instanceof Error ? error.message : String(error)}`;
      if (device.lost || /closed|disconnect|EIO|ENXIO/i.test(detail))
        throw new Failure(
          'device-disconnected',
          'The unit was unplugged or its cable failed while flashing: check the cable and press Retry.',
          { detail },
        );
      if (/md5/i.test(detail))
        throw new Failure(
          'verify-mismatch',
          "The unit's flash does not hold what was written (MD5 differs).",
          {
            detail,
          },
        );
      throw new Failure(
        'device-timeout',
        'The unit stopped answering its bootloader: check the cable and press Retry.',
        { detail },
      );
    }
  };

  const mode = esp.reset === 'none' ? 'no_reset' : esp.reset === 'usb-jtag' ? 'usb_reset' : 'default_reset';
  try {
    await device.open({ baudRate: ROM_BAUD }).then(() => device.close());
  } catch (error) {
    throw new Failure('port-unavailable', `Port ${options.path} cannot be opened: is the unit plugged in?`, {
      detail: String(error),
    });
  }
  try {
    await guard('connect', () => loader.connect(mode, deps.attempts ?? 7, true));
  } catch (error) {
    await Promise.race([
      transport.disconnect().catch(() => undefined),
      new Promise((r) => setTimeout(r, 1000).unref()),
    ]);
    await device.close().catch(() => undefined);
    if (isFailure(error) && error.code === 'device-timeout')
      throw new Failure(
        'device-timeout',
        esp.reset === 'none'
          ? 'No ESP32 bootloader answered: check that the fixture holds the boot strap, then press Retry.'
          : 'No ESP32 bootloader answered: check the cable (or hold BOOT while plugging in) and press Retry.',
        { ...(error.detail ? { detail: error.detail } : {}) },
      );
    throw error;
  }

  const close = async () => {
    // After a pulled cable esptool-js may hold a stream lock forever: never wait on it for long.
    if (!device.lost)
      await Promise.race([
        transport.disconnect().catch(() => undefined),
        new Promise((r) => setTimeout(r, 1000).unref()),
      ]);
    await device.close().catch(() => undefined);
  };
  let partition: { label: string; offset: number; size: number };
  let table: Partition[] = [];
  try {
    const found = chipName(loader.chip.CHIP_NAME);
    if (esp.chip !== 'any' && found !== chipName(esp.chip))
      throw new Failure(
        'validation',
        `The unit is an ${loader.chip.CHIP_NAME} but the profile is for ${esp.chip.toUpperCase()}: use the work order for this board, or the right board.`,
      );
    try {
      await guard('upload the stub', () => loader.runStub());
    } catch (error) {
      // esptool-js gives the stub 200 ms to answer MEM_END: a busy host can miss it. Connect once
      // more; a stub that did start is found by its SYNC answer and not uploaded again.
      if (!isFailure(error) || error.code !== 'device-timeout') throw error;
      await Promise.race([
        transport.disconnect().catch(() => undefined),
        new Promise((r) => setTimeout(r, 1000).unref()),
      ]);
      await guard('connect', () => loader.connect(mode, deps.attempts ?? 7, true));
      await guard('upload the stub', () => loader.runStub());
    }
    if (esp.flashBaud !== ROM_BAUD) await guard('change the baud rate', () => loader.changeBaud());
    await guard('attach the flash', () => loader.flashSpiAttach(0));
    const raw = await guard('read the partition table', () =>
      loader.readFlash(PARTITION_TABLE_OFFSET, PARTITION_TABLE_SIZE),
    );
    try {
      table = parsePartitionTable(raw);
    } catch (error) {
      // No table: only a profile that gives the partition's place can go on.
      if (esp.partition.offset === undefined) throw error;
    }
    partition = chooseStoragePartition(table, esp.partition);
  } catch (error) {
    await close();
    throw error;
  }

  let written: UnitImage | null = null;
  const imageFor = (files: readonly DeviceFile[]) => buildUnitImage(esp.stateFiles, files, partition.size);

  const readRegion = (offset: number, length: number, onBytes?: (done: number) => void) =>
    guard('read the flash', async () =>
      Buffer.from(
        await loader.readFlash(offset, length, (_packet, done) => {
          onBytes?.(done);
        }),
      ),
    );

  const session: Esp32Session = {
    identity: {
      transport: 'esp32',
      description: `${loader.chip.CHIP_NAME}, ${partition.label} partition at 0x${partition.offset.toString(16)} (${partition.size} bytes)`,
    },
    chip: loader.chip.CHIP_NAME,
    partition,
    lastWrite: null,

    async writeFiles(files, transfer = {}): Promise<WriteReport> {
      const image = imageFor(files);
      const report = await session.writeImage(image.payload, {
        compress: true,
        fileCount: files.length,
        ...(transfer.onProgress ? { onProgress: transfer.onProgress } : {}),
      });
      written = image;
      return report;
    },

    async writeImage(payload, how): Promise<WriteReport> {
      if (payload.length > partition.size)
        throw new Failure('validation', "The unit's files do not fit its storage partition.");
      const progress = (stage: 'erase' | 'write', done: number, total: number) =>
        how.onProgress?.({
          phase: 'write',
          stage,
          path: `${partition.label}@0x${partition.offset.toString(16)}`,
          fileIndex: 0,
          fileCount: how.fileCount ?? 1,
          bytesDone: done,
          bytesTotal: total,
        });
      const total = payload.length;
      let sent = 0;
      // A real flasher stub erases the sectors a write reaches as it writes them (64 KiB at a
      // time where aligned) and knows nothing of an earlier ERASE_REGION, so a separate erase
      // pass would erase everything twice. The erase stage follows the stub's own erasing.
      progress('erase', 0, total);
      // esptool's allowance, 40 s per MB written, on twice a block's share of the image; at least 3 s.
      const perMb = (bytes: number) => Math.max(3000, Math.ceil((40_000 * bytes) / 1e6));
      if (how.compress) {
        // FLASH_DEFL_BEGIN/END through esptool-js, the blocks through the pipelined writer
        // (deflWrite.ts), fed from Node's native deflate: esptool-js's writeFlash compresses with
        // pako and inflates every block again byte by byte to size its timeouts.
        // Padded with erased bytes to a 64 KiB boundary where one block erase beats many sector
        // erases (eraseRegion.ts); MD5 and read-back still cover exactly the image.
        const length = eraseFriendlyLength(partition.offset, payload.length, partition.size);
        const stream =
          length > payload.length
            ? Buffer.concat([payload, Buffer.alloc(length - payload.length, 0xff)])
            : payload;
        const packed = zlib.deflateSync(stream, { level: 9 });
        const beganAt = performance.now();
        const blocks = await guard('write the flash', () =>
          loader.flashDeflBegin(stream.length, packed.length, partition.offset),
        );
        const blockTimeout = Math.max(3000, perMb((2 * stream.length) / Math.max(1, blocks)));
        progress('write', 0, packed.length);
        const onAck = (acked: number, block: number) => {
          // The stub acknowledges block N once it has inflated, erased and written block N-1.
          progress('erase', Math.floor((total * block) / blocks), total);
          progress('write', acked, packed.length);
        };
        const step = loader.FLASH_WRITE_SIZE;
        const stats =
          how.blocksVia === 'esptool-js'
            ? await guard('write the flash', async () => {
                const firstSentAt = performance.now();
                for (let seq = 0; seq < blocks; seq++) {
                  await loader.flashDeflBlock(
                    new Uint8Array(packed.subarray(seq * step, (seq + 1) * step)),
                    seq,
                    blockTimeout,
                  );
                  onAck(Math.min(packed.length, (seq + 1) * step), seq);
                }
                const lastAckAt = performance.now();
                return {
                  blocks,
                  compressedBytes: packed.length,
                  wireBytes: 0,
                  retransmissions: 0,
                  firstSentAt,
                  lastAckAt,
                  sentAt: [],
                  ackAt: [],
                } satisfies DeflWriteStats;
              })
            : await guard('write the flash', () =>
                writeDeflBlocks(device, { packed, blockSize: step, blockTimeoutMs: blockTimeout, onAck }),
              );
        await guard('write the flash', () => loader.flashDeflFinish(false, perMb(stream.length)));
        const endedAt = performance.now();
        session.lastWrite = {
          ...stats,
          beganAt,
          endedAt,
          baud: esp.flashBaud,
          uncompressedBytes: total,
          regionBytes: stream.length,
        };
        sent = packed.length;
        progress('erase', total, total);
        return { bytes: sent, retransmissions: stats.retransmissions };
      } else
        await guard('write the flash', () =>
          loader.writeFlash({
            fileArray: [{ data: new Uint8Array(payload), address: partition.offset }],
            flashMode: 'keep',
            flashFreq: 'keep',
            flashSize: 'keep',
            eraseAll: false,
            compress: false,
            reportProgress: (_i, done, all) => {
              sent = all;
              progress('write', done, all);
            },
          }),
        );
      progress('erase', total, total);
      return { bytes: sent, retransmissions: 0 };
    },

    async verifyFiles(files, transfer = {}): Promise<VerifyResult[]> {
      // Deterministic: after a crash the same files give the same image, so it need not be kept.
      const image = written ?? imageFor(files);
      const total = image.payload.length;
      const progress = (done: number) =>
        transfer.onProgress?.({
          phase: 'verify',
          stage: 'verify',
          path: `${partition.label}@0x${partition.offset.toString(16)}`,
          fileIndex: 0,
          fileCount: files.length,
          bytesDone: done,
          bytesTotal: total,
        });
      progress(0);
      const md5 = await guard('check the flash MD5', () => loader.flashMd5sum(partition.offset, total));
      if (md5 !== image.md5)
        throw new Failure(
          'verify-mismatch',
          "The unit's flash does not hold what was written (its MD5 differs): press Retry to write it again.",
          { detail: `flash MD5 ${md5}, image MD5 ${image.md5}` },
        );
      const back = await readRegion(partition.offset, total, progress);
      const fs = await mountLittleFs(back, { blockSize: 4096 });
      const results: VerifyResult[] = [];
      for (const f of files) {
        const expected = crypto.createHash('sha256').update(f.content).digest('hex');
        let actual: string | null;
        try {
          actual = crypto
            .createHash('sha256')
            .update(await fs.readFile(f.path))
            .digest('hex');
        } catch {
          actual = null;
        }
        results.push({ path: f.path, algorithm: 'sha256', expected, actual, ok: actual === expected });
      }
      // The claim ID the unit will boot with, from what was read back.
      const device = files.find((f) => f.path === DEVICE_JSON5);
      if (device) {
        const want = idOf(device.content);
        const got = idOf(await fs.readFile(DEVICE_JSON5).catch(() => Buffer.alloc(0)));
        if (want !== got)
          throw new Failure(
            'verify-mismatch',
            `The unit's device.json5 holds claim ID ${got ?? 'none'}, not ${want}.`,
          );
      }
      progress(total);
      return results;
    },

    async commit() {
      await session.resetToFirmware();
    },

    async resetToFirmware() {
      if (esp.reset === 'none') return;
      // EN low with GPIO0 high, then EN released: the chip boots its firmware (esptool's hard reset;
      // esptool-js's own only releases RTS, which resets nothing unless RTS was already asserted).
      await guard('reset the unit', async () => {
        await device.setSignals({ dataTerminalReady: false, requestToSend: true });
        await new Promise((r) => setTimeout(r, esp.reset === 'usb-jtag' ? 200 : 100));
        await device.setSignals({ dataTerminalReady: false, requestToSend: false });
      });
    },

    async mountStorage() {
      return mountLittleFs(
        { size: partition.size, read: (offset, length) => readRegion(partition.offset + offset, length) },
        { blockSize: 4096 },
      );
    },

    async readIdentity() {
      let fs: MountedFs;
      try {
        fs = await session.mountStorage();
      } catch (error) {
        // A blank or foreign partition holds no identity yet.
        if (isFailure(error) && error.code === 'corrupt-file') return { claimId: null };
        throw error;
      }
      if (!(await fs.exists(DEVICE_JSON5))) return { claimId: null };
      return parseHeldIdentity((await fs.readFile(DEVICE_JSON5)).toString('utf8'));
    },

    close,
  };
  return session;
}

function idOf(content: Buffer): string | null {
  try {
    const id = (JSON5.parse(content.toString('utf8')) as { id?: unknown }).id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

export type { Esp32Settings };
