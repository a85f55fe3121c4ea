/**
 * Frames of the framed serial protocol (docs/serial-protocol.md): magic "LS", type, flags, seq,
 * length, payload, CRC32 (IEEE, as zlib) over type..payload. Little-endian throughout.
 */
export const MAGIC0 = 0x4c; // 'L'
export const MAGIC1 = 0x53; // 'S'
export const HEADER_BYTES = 8;
export const FRAME_OVERHEAD = HEADER_BYTES + 4;
export const FLAG_RESPONSE = 0x01;

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: Uint8Array, start = 0, end = data.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface Frame {
  type: number;
  flags: number;
  seq: number;
  payload: Buffer;
}

export function encodeFrame(frame: Frame): Buffer {
  const len = frame.payload.length;
  if (len > 0xffff) throw new Error(`payload of ${len} bytes does not fit a frame`);
  const out = Buffer.alloc(FRAME_OVERHEAD + len);
  out[0] = MAGIC0;
  out[1] = MAGIC1;
  out[2] = frame.type;
  out[3] = frame.flags;
  out.writeUInt16LE(frame.seq & 0xffff, 4);
  out.writeUInt16LE(len, 6);
  frame.payload.copy(out, HEADER_BYTES);
  out.writeUInt32LE(crc32(out, 2, HEADER_BYTES + len), HEADER_BYTES + len);
  return out;
}

export type DecoderEvent =
  | { kind: 'frame'; frame: Frame }
  /** A complete frame whose CRC did not match (or whose length was impossible). */
  | { kind: 'bad'; seq: number | null }
  /** Bytes outside any frame: console text from the unit. */
  | { kind: 'noise'; bytes: Buffer };

/**
 * x^(8n) mod P in the reflected representation, for n = 0, 1, 2, ... (grown on demand): shifting a
 * CRC register over n zero bytes is a multiplication by it (zlib's crc32_combine).
 */
const POLY = 0xedb88320;
const shifts: number[] = [0x80000000];

function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

function shiftOp(n: number): number {
  while (shifts.length <= n) {
    let x = shifts[shifts.length - 1]!;
    for (let k = 0; k < 8; k++) x = x & 1 ? (x >>> 1) ^ POLY : x >>> 1;
    shifts.push(x >>> 0);
  }
  return shifts[n]!;
}

/**
 * Hunts for the magic, reads a header and the rest; on a bad CRC (or an impossible length) drops
 * one byte and hunts again, as the document says, so it resynchronises after dropped or flipped
 * bytes. `reset()` drops a partial frame (the receiver does this after 100 ms of silence).
 *
 * Linear in its input whatever the bytes: it keeps the running CRC of everything buffered, so the
 * CRC of any candidate frame is two lookups and one combine (crc(D) = C[b] ^ shift(C[a], |D|)),
 * never a pass over the candidate's payload; bytes are appended into one growing buffer, never
 * concatenated again per chunk. Crafted frames that all claim the largest payload cost the same
 * per byte as good ones.
 */
export function createDecoder(maxPayload: number) {
  let data = new Uint8Array(2 * (FRAME_OVERHEAD + maxPayload) + 4096);
  /** crcs[i]: the CRC32 of data[0..i) relative to some earlier base (only differences matter). */
  let crcs = new Uint32Array(data.length + 1);
  let start = 0;
  let end = 0;

  function append(chunk: Uint8Array) {
    if (end + chunk.length > data.length) {
      const kept = end - start;
      const need = kept + chunk.length;
      if (need * 2 > data.length) {
        const grown = new Uint8Array(need * 2 + 4096);
        const grownCrcs = new Uint32Array(grown.length + 1);
        grown.set(data.subarray(start, end));
        grownCrcs.set(crcs.subarray(start, end + 1));
        data = grown;
        crcs = grownCrcs;
      } else {
        data.copyWithin(0, start, end);
        crcs.copyWithin(0, start, end + 1);
      }
      start = 0;
      end = kept;
    }
    let c = ~crcs[end]!;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      data[end + i] = byte;
      c = TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
      crcs[end + i + 1] = ~c >>> 0;
    }
    end += chunk.length;
  }

  /** CRC32 of data[a..b), from the running CRCs. */
  const crcOf = (a: number, b: number) => (crcs[b]! ^ multModP(shiftOp(b - a), crcs[a]!)) >>> 0;
  const u16 = (at: number) => data[at]! | (data[at + 1]! << 8);
  const u32 = (at: number) => (u16(at) | (u16(at + 2) << 16)) >>> 0;
  const copy = (a: number, b: number) => Buffer.from(data.subarray(a, b));

  function findMagic(from: number): number {
    for (let i = from; i + 1 < end; i++) if (data[i] === MAGIC0 && data[i + 1] === MAGIC1) return i;
    return -1;
  }

  return {
    push(chunk: Buffer): DecoderEvent[] {
      append(chunk);
      const events: DecoderEvent[] = [];
      for (;;) {
        const at = findMagic(start);
        if (at < 0) {
          // Keep a trailing 'L' that may start a frame.
          const keep = end > start && data[end - 1] === MAGIC0 ? 1 : 0;
          if (end - keep > start) events.push({ kind: 'noise', bytes: copy(start, end - keep) });
          start = end - keep;
          break;
        }
        if (at > start) {
          events.push({ kind: 'noise', bytes: copy(start, at) });
          start = at;
        }
        if (end - start < HEADER_BYTES) break;
        const len = u16(start + 6);
        if (len > maxPayload) {
          events.push({ kind: 'bad', seq: null });
          start += 1;
          continue;
        }
        if (end - start < FRAME_OVERHEAD + len) break;
        const body = start + HEADER_BYTES + len;
        if (u32(body) !== crcOf(start + 2, body)) {
          events.push({ kind: 'bad', seq: u16(start + 4) });
          start += 1;
          continue;
        }
        events.push({
          kind: 'frame',
          frame: {
            type: data[start + 2]!,
            flags: data[start + 3]!,
            seq: u16(start + 4),
            payload: copy(start + HEADER_BYTES, body),
          },
        });
        start = body + 4;
      }
      if (start === end) start = end = 0;
      return events;
    },
    /** Whether a partial frame is waiting for more bytes. */
    get pending() {
      return end > start;
    },
    reset() {
      start = end = 0;
    },
  };
}
