/**
 * FLASH_DEFL_DATA blocks sent as fast as the flasher stub can take them, without leaving the line
 * idle waiting for the host.
 *
 * What a real stub allows (esptool's flasher stub, stub_flasher.c): it receives into two buffers;
 * it acknowledges a data block when its command loop takes it, *before* inflating and writing it,
 * so the next block arrives in the other buffer while it works. A third block sent before the
 * second was taken would land in the buffer being inflated. So block N+1 may go as soon as the
 * acknowledgement of block N arrives, and not earlier: one block in flight beyond the one being
 * written. esptool-js does the same exchange, but each acknowledgement is found by polling its
 * buffer on a 1 ms timer, the frame is built and SLIP-encoded byte by byte after it, and every
 * write waits for the port to drain. Here the next frame is built while the current one is on
 * the wire, the acknowledgement is parsed in the same event that delivers its bytes, and the next
 * frame is handed to the port in that event.
 *
 * Faults keep esptool's behaviour: a block refused (bad checksum, any error status) or not
 * acknowledged in time is sent again with the same sequence number, at most `attempts` times; a
 * port that goes away fails at once.
 */
import type { RawSerialLink } from './webSerial';

export const FLASH_DEFL_DATA = 0x11;
const SLIP_END = 0xc0;
const SLIP_ESC = 0xdb;

export interface DeflWriteOptions {
  /** The whole compressed stream; block i is bytes [i*blockSize, (i+1)*blockSize). */
  packed: Buffer;
  blockSize: number;
  /** How long one block may wait for its acknowledgement (the stub may be busy with the previous one). */
  blockTimeoutMs: number;
  /** Tries per block (esptool's WRITE_BLOCK_ATTEMPTS is 3). */
  attempts?: number;
  /** After each acknowledged block: compressed bytes acknowledged so far. */
  onAck?: (ackedBytes: number, block: number) => void;
  /** Time source (tests); performance.now by default. */
  now?: () => number;
}

export interface DeflWriteStats {
  blocks: number;
  /** Compressed payload bytes, each counted once. */
  compressedBytes: number;
  /** SLIP-framed bytes the host wrote, retransmissions included. */
  wireBytes: number;
  retransmissions: number;
  /** When the first frame was handed to the port, and when the last block's acknowledgement arrived. */
  firstSentAt: number;
  lastAckAt: number;
  /** Per block: handed to the port, acknowledged (milliseconds, same clock). */
  sentAt: number[];
  ackAt: number[];
}

export class DeflWriteError extends Error {
  constructor(
    message: string,
    readonly kind: 'refused' | 'timeout' | 'lost',
  ) {
    super(message);
  }
}

const checksum = (data: Uint8Array) => {
  let c = 0xef;
  for (let i = 0; i < data.length; i++) c ^= data[i]!;
  return c;
};

/** One FLASH_DEFL_DATA command, SLIP-framed, built in one pass into one buffer. */
export function deflDataFrame(block: Uint8Array, seq: number): Buffer {
  const head = Buffer.alloc(8 + 16);
  head[0] = 0x00;
  head[1] = FLASH_DEFL_DATA;
  head.writeUInt16LE(16 + block.length, 2);
  head.writeUInt32LE(checksum(block), 4);
  head.writeUInt32LE(block.length, 8);
  head.writeUInt32LE(seq, 12);
  let escapes = 0;
  for (let i = 0; i < head.length; i++) if (head[i] === SLIP_END || head[i] === SLIP_ESC) escapes++;
  for (let i = 0; i < block.length; i++) if (block[i] === SLIP_END || block[i] === SLIP_ESC) escapes++;
  const out = Buffer.allocUnsafe(2 + head.length + block.length + escapes);
  let o = 0;
  out[o++] = SLIP_END;
  const put = (b: number) => {
    if (b === SLIP_END) {
      out[o++] = SLIP_ESC;
      out[o++] = 0xdc;
    } else if (b === SLIP_ESC) {
      out[o++] = SLIP_ESC;
      out[o++] = 0xdd;
    } else out[o++] = b;
  };
  for (let i = 0; i < head.length; i++) put(head[i]!);
  for (let i = 0; i < block.length; i++) put(block[i]!);
  out[o++] = SLIP_END;
  return out;
}

/** Splits received bytes into SLIP packets, calling `onPacket` for each complete one. */
export function slipDecoder(onPacket: (packet: Buffer) => void): (chunk: Buffer) => void {
  let frame: number[] | null = null;
  let escaping = false;
  return (chunk) => {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === SLIP_END) {
        if (frame && frame.length > 0) onPacket(Buffer.from(frame));
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
  };
}

/**
 * Sends every block of `packed` as FLASH_DEFL_DATA (seq 0..n-1) over `link`, each as soon as the
 * stub acknowledged the one before. Resolves with the timing of the write once the last block is
 * acknowledged (the caller then sends FLASH_DEFL_END, whose answer comes when the stub has written it).
 */
export function writeDeflBlocks(link: RawSerialLink, options: DeflWriteOptions): Promise<DeflWriteStats> {
  const { packed, blockSize } = options;
  const now = options.now ?? (() => performance.now());
  const attempts = options.attempts ?? 3;
  const blocks = Math.ceil(packed.length / blockSize);
  const frame = (seq: number) => deflDataFrame(packed.subarray(seq * blockSize, (seq + 1) * blockSize), seq);
  const stats: DeflWriteStats = {
    blocks,
    compressedBytes: packed.length,
    wireBytes: 0,
    retransmissions: 0,
    firstSentAt: 0,
    lastAckAt: 0,
    sentAt: [],
    ackAt: [],
  };
  return new Promise<DeflWriteStats>((resolve, reject) => {
    if (blocks === 0) {
      resolve(stats);
      return;
    }
    let seq = 0;
    let tries = 0;
    let current = frame(0);
    let next: Buffer | null = null;
    let timer: NodeJS.Timeout | null = null;
    let done = false;
    let unlisten: () => void = () => undefined;

    const finish = (error: DeflWriteError | null) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      unlisten();
      if (error) reject(error);
      else resolve(stats);
    };
    const send = () => {
      tries += 1;
      try {
        link.writeNow(current);
      } catch (error) {
        finish(new DeflWriteError(error instanceof Error ? error.message : String(error), 'lost'));
        return;
      }
      const at = now();
      if (seq === 0 && tries === 1) stats.firstSentAt = at;
      stats.sentAt[seq] = at;
      stats.wireBytes += current.length;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        if (tries >= attempts)
          finish(
            new DeflWriteError(
              `No serial data received: block ${seq} of ${blocks} not acknowledged after ${attempts} tries.`,
              'timeout',
            ),
          );
        else {
          stats.retransmissions += 1;
          send();
        }
      }, options.blockTimeoutMs);
      // The next frame is built while this one is on the wire.
      if (!next && seq + 1 < blocks) next = frame(seq + 1);
    };
    const onPacket = (p: Buffer) => {
      if (done || p.length < 10 || p[0] !== 0x01 || p[1] !== FLASH_DEFL_DATA) return;
      // The stub's status is the last two bytes of the body: [failed, error].
      const failed = p[p.length - 2]!;
      const code = p[p.length - 1]!;
      if (failed !== 0) {
        if (tries >= attempts) {
          finish(
            new DeflWriteError(
              `Failed to write compressed data to flash after seq ${seq} failed with status ${failed},${code}`,
              'refused',
            ),
          );
          return;
        }
        stats.retransmissions += 1;
        send();
        return;
      }
      stats.ackAt[seq] = stats.lastAckAt = now();
      const acked = seq;
      seq += 1;
      if (seq >= blocks) finish(null);
      else {
        tries = 0;
        current = next ?? frame(seq);
        next = null;
        send();
      }
      // Progress after the next frame is on its way: a slow listener never idles the line.
      options.onAck?.(Math.min(packed.length, (acked + 1) * blockSize), acked);
    };
    unlisten = link.listen(slipDecoder(onPacket), (why) =>
      finish(new DeflWriteError(`The serial port closed while writing (${why.message}).`, 'lost')),
    );
    if (!done) send();
  });
}
