/**
 * A simulated ESP32 in its ROM serial bootloader, on the far end of a socat pty pair: SLIP
 * framing, the line paced like a UART at the current baud (115200 until CHANGE_BAUDRATE), flash
 * kept in a file, erase time per 4 KiB sector, and faults on request. The flash starts with the
 * sample partition table of ioto-contracts.md §8 at 0x8000 (or none, or a small storage partition).
 * Used by integration tests, the bench, end-to-end tests and by hand
 * (`npm run device:sim -- --esp32 --pty`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';
import {
  PARTITION_TABLE_OFFSET,
  buildPartitionTable,
  iotoSamplePartitions,
} from '../../../electron/core/transport/esp32/partitions';
import { keepPollerInterests } from '../../../electron/core/transport/esp32/webSerial';
import { createPtyPair } from '../ptyPair';
import { createRom, type RomFault, type RomStats, type SimChip } from './rom';

export type { RomFault, SimChip } from './rom';

export interface Esp32SimOptions {
  /** Folder for flash.bin (created with the partition table when missing). */
  dir: string;
  chip?: SimChip;
  flashSize?: number;
  /** Storage partition size, or null for a unit whose table has no storage partition. */
  storageSize?: number | null;
  /** A 4 KiB sector erase (default 10 ms; a typical SPI NOR datasheet says 45). */
  eraseMsPerSector?: number;
  /** An aligned 64 KiB block erase (default 10/3 of a sector's: 150 ms against 45 in a typical datasheet). */
  blockEraseMs?: number;
  /** Programming one 256-byte page (default 0.4 ms, a typical datasheet's tPP). */
  programMsPerPage?: number;
  faults?: RomFault[];
}

export interface Esp32Sim {
  path: string;
  flashFile: string;
  stats: RomStats & { bytesReceived: number; bytesSent: number; baud: number };
  /** The flash as it is now. */
  flash(): Buffer;
  stop(): Promise<void>;
}

const SLIP_END = 0xc0;
const SLIP_ESC = 0xdb;

export function slipEncode(packet: Buffer): Buffer {
  const out: number[] = [SLIP_END];
  for (const b of packet) {
    if (b === SLIP_END) out.push(SLIP_ESC, 0xdc);
    else if (b === SLIP_ESC) out.push(SLIP_ESC, 0xdd);
    else out.push(b);
  }
  out.push(SLIP_END);
  return Buffer.from(out);
}

function openPort(p: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port: SerialPort = new SerialPort({ path: p, baudRate: 115200, hupcl: false }, (err) =>
      err ? reject(err) : resolve(port),
    );
  });
}

export function initialFlash(options: Pick<Esp32SimOptions, 'flashSize' | 'storageSize'>): Buffer {
  const flash = Buffer.alloc(options.flashSize ?? 8 * 1024 * 1024, 0xff);
  const partitions =
    options.storageSize === null
      ? iotoSamplePartitions().filter((p) => p.label !== 'storage')
      : iotoSamplePartitions(options.storageSize ?? 0x400000);
  buildPartitionTable(partitions).copy(flash, PARTITION_TABLE_OFFSET);
  return flash;
}

export async function startEsp32Sim(options: Esp32SimOptions): Promise<Esp32Sim> {
  fs.mkdirSync(options.dir, { recursive: true });
  const flashFile = path.join(options.dir, 'flash.bin');
  if (!fs.existsSync(flashFile)) fs.writeFileSync(flashFile, initialFlash(options));
  const flash = fs.readFileSync(flashFile);
  const fd = fs.openSync(flashFile, 'r+');
  const pair = await createPtyPair();
  const port = await openPort(pair.b!);
  // The simulator writes answers while it reads: the same poller bug as the host's side.
  keepPollerInterests(port);
  let baud = 115200;
  let stopped = false;
  const extra = { bytesReceived: 0, bytesSent: 0, baud };

  // One clock per direction: a byte takes 10 bits at the current baud (8N1). Each direction is a FIFO
  // drained by one timer, so pieces can never overtake each other (separate timers could: Node
  // computes their expiry from the loop's cached time).
  const byteMs = () => 10_000 / baud;
  const fifo = () => {
    let clock = 0;
    const items: Array<{ at: number; run: () => void }> = [];
    let timer: NodeJS.Timeout | null = null;
    const pump = () => {
      timer = null;
      while (items.length && items[0]!.at <= performance.now() + 0.5 && !stopped) items.shift()!.run();
      if (items.length && !stopped) timer = setTimeout(pump, Math.max(0, items[0]!.at - performance.now()));
    };
    return {
      push(bytes: number, run: () => void) {
        clock = Math.max(clock, performance.now()) + bytes * byteMs();
        items.push({ at: clock, run });
        if (!timer && !stopped) timer = setTimeout(pump, Math.max(0, items[0]!.at - performance.now()));
      },
      /** Runs once everything queued so far has gone. */
      after(run: () => void) {
        items.push({ at: Math.max(clock, performance.now()), run });
        if (!timer && !stopped) timer = setTimeout(pump, Math.max(0, items[0]!.at - performance.now()));
      },
      stop() {
        if (timer) clearTimeout(timer);
        items.length = 0;
      },
    };
  };
  const tx = fifo();
  const rx = fifo();
  function send(packet: Buffer) {
    const wire = slipEncode(packet);
    for (let i = 0; i < wire.length; i += 512) {
      const piece = wire.subarray(i, i + 512);
      tx.push(piece.length, () => {
        extra.bytesSent += piece.length;
        port.write(piece);
      });
    }
  }

  const rom = createRom({
    flash,
    chip: options.chip ?? 'esp32',
    eraseMsPerSector: options.eraseMsPerSector ?? 10,
    ...(options.blockEraseMs !== undefined ? { blockEraseMs: options.blockEraseMs } : {}),
    programMsPerPage: options.programMsPerPage ?? 0.4,
    faults: options.faults ?? [],
    io: {
      send,
      setBaud(next) {
        // The reply to CHANGE_BAUDRATE leaves at the old rate; then the line switches.
        tx.after(() => {
          baud = next;
          extra.baud = next;
        });
      },
      disconnect: () => void stop(),
      persist: (offset, bytes) => {
        if (!stopped) fs.writeSync(fd, bytes, 0, bytes.length, offset);
      },
      busy: (ms) => new Promise((r) => setTimeout(r, ms)),
    },
  });

  // SLIP decoding of what arrives, each byte delivered when the UART would have received it.
  let frame: number[] | null = null;
  let escaping = false;
  function decode(chunk: Buffer) {
    for (const b of chunk) {
      if (b === SLIP_END) {
        if (frame && frame.length > 0) rom.packet(Buffer.from(frame));
        frame = [];
        escaping = false;
      } else if (frame) {
        if (escaping) {
          frame.push(b === 0xdc ? SLIP_END : b === 0xdd ? SLIP_ESC : b);
          escaping = false;
        } else if (b === SLIP_ESC) escaping = true;
        else frame.push(b);
      }
    }
  }
  port.on('data', (chunk: Buffer) => {
    extra.bytesReceived += chunk.length;
    const piece = Math.max(64, Math.floor(baud / 10 / 50));
    for (let i = 0; i < chunk.length; i += piece) {
      const part = chunk.subarray(i, i + piece);
      rx.push(part.length, () => decode(part));
    }
  });

  async function stop() {
    if (stopped) return;
    stopped = true;
    tx.stop();
    rx.stop();
    await new Promise((r) => (port.isOpen ? port.close(() => r(undefined)) : r(undefined)));
    await pair.stop();
    fs.closeSync(fd);
  }

  const stats = {
    get commands() {
      return rom.stats.commands;
    },
    get sectorsErased() {
      return rom.stats.sectorsErased;
    },
    get overruns() {
      return rom.stats.overruns;
    },
    get busyMs() {
      return rom.stats.busyMs;
    },
    get flashBytesWritten() {
      return rom.stats.flashBytesWritten;
    },
    get faults() {
      return rom.stats.faults;
    },
    get bytesReceived() {
      return extra.bytesReceived;
    },
    get bytesSent() {
      return extra.bytesSent;
    },
    get baud() {
      return extra.baud;
    },
  };
  return {
    path: pair.a,
    flashFile,
    stats,
    flash: () => flash,
    stop,
  };
}
