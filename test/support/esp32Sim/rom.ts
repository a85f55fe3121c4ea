/**
 * The ESP32 ROM serial bootloader and its flasher stub, as a state machine over SLIP packets
 * (Espressif's published serial protocol): SYNC, READ_REG (chip magic), WRITE_REG, SPI_ATTACH,
 * SPI_SET_PARAMS, MEM_BEGIN/DATA/END (the stub: it "runs" and says OHAI), FLASH_BEGIN/DATA/END,
 * FLASH_DEFL_BEGIN/DATA/END, SPI_FLASH_MD5, CHANGE_BAUDRATE, ERASE_REGION and READ_FLASH (stub).
 * Flash is NOR: a write can only clear bits, so a sector must be erased first; erasing costs
 * `eraseMsPerSector` per 4 KiB sector (`blockEraseMs` per aligned 64 KiB block) and programming
 * `programMsPerPage` per 256-byte page. The ROM erases a whole region at FLASH_BEGIN. The stub does
 * what esptool's flasher stub does: it erases as it writes, from the region's start up to the sector
 * each write reaches (a 64 KiB block erase where aligned and at least 16 sectors remain), whatever
 * an earlier ERASE_REGION already erased; it acknowledges a data block when its command loop takes
 * it, before inflating and writing it, and only after it finished the block before. It receives
 * into two buffers: a command that arrives while one block is being written and another waits
 * would overwrite the block being written, so the sim counts it as an overrun and fails the write.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';

export const Op = {
  FLASH_BEGIN: 0x02,
  FLASH_DATA: 0x03,
  FLASH_END: 0x04,
  MEM_BEGIN: 0x05,
  MEM_END: 0x06,
  MEM_DATA: 0x07,
  SYNC: 0x08,
  WRITE_REG: 0x09,
  READ_REG: 0x0a,
  SPI_SET_PARAMS: 0x0b,
  SPI_ATTACH: 0x0d,
  CHANGE_BAUDRATE: 0x0f,
  FLASH_DEFL_BEGIN: 0x10,
  FLASH_DEFL_DATA: 0x11,
  FLASH_DEFL_END: 0x12,
  SPI_FLASH_MD5: 0x13,
  GET_SECURITY_INFO: 0x14,
  ERASE_REGION: 0xd1,
  READ_FLASH: 0xd2,
} as const;
export type OpName = keyof typeof Op;

export const CHIP_MAGIC = { esp32: 0x00f01d83, 'esp32-s2': 0x000007c6 } as const;
export type SimChip = keyof typeof CHIP_MAGIC;

const SECTOR = 4096;
const ERR_INVALID = 0x05;
const ERR_CHECKSUM = 0x07;
const ERR_FAILED = 0x06;

export interface RomFault {
  kind: 'bad-checksum' | 'drop-reply' | 'md5-mismatch' | 'disconnect';
  op?: OpName;
  nth?: number;
}

export interface RomIo {
  /** Sends one SLIP packet (already framed by the caller). */
  send(packet: Buffer): void;
  /** Switches the line to a new baud rate once what was sent so far has left. */
  setBaud(baud: number): void;
  /** The unit went away (a pulled cable). */
  disconnect(): void;
  /** Flash writes, for a file behind the flash. */
  persist(offset: number, bytes: Buffer): void;
  /** Waits as a busy chip would (erase time). */
  busy(ms: number): Promise<void>;
}

export interface RomStats {
  commands: Record<string, number>;
  sectorsErased: number;
  /** Commands that arrived while both of the stub's receive buffers were taken (the host sent too far ahead). */
  overruns: number;
  /** Milliseconds the stub spent erasing and programming during writes. */
  busyMs: number;
  flashBytesWritten: number;
  faults: Record<string, number>;
}

export function createRom(options: {
  flash: Buffer;
  chip: SimChip;
  eraseMsPerSector: number;
  /** An aligned 64 KiB block erase; by default what a typical SPI NOR takes relative to a sector (150 vs 45 ms). */
  blockEraseMs?: number;
  programMsPerPage?: number;
  faults: RomFault[];
  io: RomIo;
}) {
  const { flash, io } = options;
  const faults = [...options.faults];
  const stats: RomStats = {
    commands: {},
    sectorsErased: 0,
    overruns: 0,
    busyMs: 0,
    flashBytesWritten: 0,
    faults: {},
  };
  const blockEraseMs = options.blockEraseMs ?? (options.eraseMsPerSector * 10) / 3;
  const programMsPerPage = options.programMsPerPage ?? 0;
  let stub = false;
  let write: {
    offset: number;
    size: number;
    blockSize: number;
    nextSeq: number;
    deflate: boolean;
    pos: number;
    inflate: zlib.Inflate | null;
    pending: Promise<void>;
    failed: boolean;
    /** The stub's erase-as-it-writes cursor: next sector to erase, sectors left. */
    nextErase: number;
    eraseLeft: number;
  } | null = null;
  // The stub's receive buffers: a command being handled, a block being written, commands waiting.
  let handling = false;
  let processing = 0;
  let waiting = 0;
  let read: {
    offset: number;
    size: number;
    packet: number;
    inFlight: number;
    sent: number;
    acked: number;
  } | null = null;
  let chain: Promise<void> = Promise.resolve();
  let gone = false;

  const names = Object.fromEntries(Object.entries(Op).map(([k, v]) => [v, k])) as Record<number, OpName>;
  const counts = new Map<number, number>();

  function take(op: number, kinds: RomFault['kind'][]): RomFault | null {
    const i = faults.findIndex(
      (f) =>
        kinds.includes(f.kind) && Op[f.op ?? defaultOp(f.kind)] === op && (f.nth ?? 1) === counts.get(op),
    );
    if (i < 0) return null;
    const [f] = faults.splice(i, 1);
    stats.faults[f!.kind] = (stats.faults[f!.kind] ?? 0) + 1;
    return f!;
  }
  const defaultOp = (kind: RomFault['kind']): OpName =>
    kind === 'md5-mismatch' ? 'SPI_FLASH_MD5' : 'FLASH_DEFL_DATA';

  function response(op: number, value: number, data: Buffer, error = 0): Buffer {
    const status = stub ? Buffer.from([error ? 1 : 0, error]) : Buffer.from([error ? 1 : 0, error, 0, 0]);
    const body = Buffer.concat([data, status]);
    const head = Buffer.alloc(8);
    head[0] = 0x01;
    head[1] = op;
    head.writeUInt16LE(body.length, 2);
    head.writeUInt32LE(value >>> 0, 4);
    return Buffer.concat([head, body]);
  }

  function eraseSectors(first: number, count: number) {
    flash.fill(0xff, first * SECTOR, (first + count) * SECTOR);
    io.persist(first * SECTOR, flash.subarray(first * SECTOR, (first + count) * SECTOR));
    stats.sectorsErased += count;
  }

  async function erase(offset: number, size: number) {
    const first = Math.floor(offset / SECTOR);
    const count = Math.ceil((offset + size) / SECTOR) - first;
    if (count <= 0) return;
    eraseSectors(first, count);
    await io.busy(count * options.eraseMsPerSector);
  }

  /**
   * NOR programming: bits only go from 1 to 0. The stub first erases, from its cursor, every
   * sector up to the one this write ends in (as esptool's stub does, 64 KiB at a time where it can).
   */
  async function program(offset: number, bytes: Buffer) {
    let ms = 0;
    const w = write;
    if (stub && w) {
      const lastSector = Math.floor((offset + bytes.length) / SECTOR);
      while (w.eraseLeft > 0 && w.nextErase <= lastSector) {
        const n = w.eraseLeft >= 16 && w.nextErase % 16 === 0 ? 16 : 1;
        eraseSectors(w.nextErase, n);
        ms += n === 16 ? blockEraseMs : options.eraseMsPerSector;
        w.nextErase += n;
        w.eraseLeft -= n;
      }
    }
    for (let i = 0; i < bytes.length; i++) flash[offset + i]! &= bytes[i]!;
    io.persist(offset, flash.subarray(offset, offset + bytes.length));
    stats.flashBytesWritten += bytes.length;
    ms += Math.ceil(bytes.length / 256) * programMsPerPage;
    if (stub && ms > 0) {
      stats.busyMs += ms;
      await io.busy(ms);
    }
  }

  const checksum = (data: Buffer) => data.reduce((c, b) => c ^ b, 0xef);

  /** Waits until every block received so far is in flash (inflate output arrives in events). */
  async function settle(state: { pending: Promise<void> }) {
    let seen: Promise<void>;
    do {
      seen = state.pending;
      await seen;
    } while (seen !== state.pending);
  }

  async function handle(packet: Buffer): Promise<void> {
    if (packet.length < 8 || packet[0] !== 0x00) return;
    const op = packet[1]!;
    const size = packet.readUInt16LE(2);
    const chk = packet.readUInt32LE(4);
    const data = packet.subarray(8, 8 + size);
    counts.set(op, (counts.get(op) ?? 0) + 1);
    const name = names[op] ?? `0x${op.toString(16)}`;
    stats.commands[name] = (stats.commands[name] ?? 0) + 1;
    if (take(op, ['disconnect'])) {
      gone = true;
      io.disconnect();
      return;
    }
    const drop = take(op, ['drop-reply']);
    const reply = (value: number, body: Buffer = Buffer.alloc(0), error = 0) => {
      if (!drop && !gone) io.send(response(op, value, body, error));
    };
    const u32 = (i: number) => data.readUInt32LE(4 * i);

    switch (op) {
      case Op.SYNC:
        // A pty carries no DTR/RTS, so a host that "resets" a unit still running the stub finds the
        // stub: it answers SYNC with value 0 (the ROM with a non-zero one), and esptool-js skips the upload.
        for (let i = 0; i < 8; i++) reply(stub ? 0 : 0x20120707);
        return;
      case Op.READ_REG:
        reply(u32(0) === 0x40001000 ? CHIP_MAGIC[options.chip] : 0);
        return;
      case Op.WRITE_REG:
      case Op.SPI_ATTACH:
      case Op.SPI_SET_PARAMS:
      case Op.MEM_BEGIN:
        reply(0);
        return;
      case Op.MEM_DATA:
        reply(0, Buffer.alloc(0), checksum(data.subarray(16)) === chk ? 0 : ERR_CHECKSUM);
        return;
      case Op.MEM_END:
        reply(0);
        if (u32(0) === 0 && !drop) {
          // The uploaded flasher stub starts and greets the host.
          stub = true;
          io.send(Buffer.from('OHAI'));
        }
        return;
      case Op.CHANGE_BAUDRATE:
        reply(0);
        io.setBaud(u32(0));
        return;
      case Op.FLASH_BEGIN:
      case Op.FLASH_DEFL_BEGIN: {
        const [eraseSize, , blockSize, offset] = [u32(0), u32(1), u32(2), u32(3)];
        if (!stub) await erase(offset, eraseSize);
        const deflate = op === Op.FLASH_DEFL_BEGIN;
        const state = {
          offset,
          size: eraseSize,
          blockSize,
          nextSeq: 0,
          deflate,
          pos: offset,
          inflate: deflate ? zlib.createInflate() : null,
          pending: Promise.resolve(),
          failed: false,
          nextErase: Math.floor(offset / SECTOR),
          eraseLeft: Math.ceil(((offset % SECTOR) + eraseSize) / SECTOR),
        };
        if (state.inflate) {
          const inflater = state.inflate;
          inflater.on('error', () => (state.failed = true));
          inflater.on('data', (chunk: Buffer) => {
            const at = state.pos;
            state.pos += chunk.length;
            processing += 1;
            state.pending = state.pending.then(() => program(at, chunk)).finally(() => (processing -= 1));
          });
        }
        write = state;
        reply(0);
        return;
      }
      case Op.FLASH_DATA:
      case Op.FLASH_DEFL_DATA: {
        const body = data.subarray(16);
        const seq = u32(1);
        if (!write) return reply(0, Buffer.alloc(0), ERR_FAILED);
        if (take(op, ['bad-checksum']) || checksum(body) !== chk)
          return reply(0, Buffer.alloc(0), ERR_CHECKSUM);
        // A block sent again after a lost reply is acknowledged, not written twice.
        if (seq < write.nextSeq) return reply(0);
        write.nextSeq = seq + 1;
        const state = write;
        // The stub holds one block while it writes the previous one.
        if (stub) await settle(state);
        // `processing` counts work in hand: the inflate of this block, then each write it produces
        // (queued before the inflate's flush ends, so the count never drops to 0 in between).
        processing += 1;
        if (state.inflate) {
          const inflater = state.inflate;
          const flushed = new Promise<void>((r) =>
            inflater.write(body, () =>
              inflater.flush(() => {
                processing -= 1;
                r();
              }),
            ),
          );
          state.pending = state.pending.then(() => flushed);
        } else {
          const at = state.offset + seq * state.blockSize;
          state.pending = state.pending
            .then(() => program(at, Buffer.from(body)))
            .finally(() => (processing -= 1));
        }
        if (!stub) await settle(state);
        reply(0);
        return;
      }
      case Op.FLASH_END:
      case Op.FLASH_DEFL_END:
        if (write) await settle(write);
        reply(0, Buffer.alloc(0), write?.failed ? 0x0b : 0);
        write = null;
        return;
      case Op.SPI_FLASH_MD5: {
        const digest = crypto
          .createHash('md5')
          .update(flash.subarray(u32(0), u32(0) + u32(1)))
          .digest();
        if (take(op, ['md5-mismatch'])) digest[0]! ^= 0xff;
        reply(0, stub ? digest : Buffer.from(digest.toString('hex'), 'latin1'));
        return;
      }
      case Op.ERASE_REGION:
        if (!stub) break;
        if (u32(0) % SECTOR || u32(1) % SECTOR) return reply(0, Buffer.alloc(0), 0x32);
        await erase(u32(0), u32(1));
        reply(0);
        return;
      case Op.READ_FLASH: {
        if (!stub) break;
        read = { offset: u32(0), size: u32(1), packet: u32(2), inFlight: u32(3), sent: 0, acked: 0 };
        reply(0);
        pumpRead();
        return;
      }
      default:
        break;
    }
    // Not a command this loader knows: the ROM's "invalid message" answer.
    if (!gone) io.send(response(0x00, 0, Buffer.alloc(0), ERR_INVALID));
  }

  function pumpRead() {
    const r = read;
    if (!r || gone) return;
    while (r.sent < r.size && (r.sent - r.acked) / r.packet < r.inFlight) {
      const n = Math.min(r.packet, r.size - r.sent);
      io.send(Buffer.from(flash.subarray(r.offset + r.sent, r.offset + r.sent + n)));
      r.sent += n;
    }
    if (r.sent >= r.size && r.acked >= r.size) {
      io.send(
        crypto
          .createHash('md5')
          .update(flash.subarray(r.offset, r.offset + r.size))
          .digest(),
      );
      read = null;
    }
  }

  return {
    stats,
    get stub() {
      return stub;
    },
    /** One SLIP packet from the host, handled in order. */
    packet(p: Buffer) {
      if (read && p.length === 4) {
        // The host's running count of bytes received during READ_FLASH.
        read.acked = p.readUInt32LE(0);
        pumpRead();
        return;
      }
      // Both receive buffers taken (one block being written, one command held): this one lands on
      // the block being written, as on a real stub.
      if (stub && (handling ? 1 : 0) + Math.min(processing, 1) + waiting >= 2) {
        stats.overruns += 1;
        if (write) write.failed = true;
      }
      waiting += 1;
      chain = chain
        .then(async () => {
          waiting -= 1;
          handling = true;
          try {
            await handle(p);
          } finally {
            handling = false;
          }
        })
        .catch(() => undefined);
    },
  };
}
