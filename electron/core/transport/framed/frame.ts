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
 * Hunts for the magic, reads a header and the rest; on a bad CRC drops one byte and hunts again, so
 * it resynchronises after dropped or flipped bytes. `reset()` drops a partial frame (the receiver
 * does this after 100 ms of silence).
 */
export function createDecoder(maxPayload: number) {
  let buf: Buffer = Buffer.alloc(0);
  return {
    push(chunk: Buffer): DecoderEvent[] {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      const events: DecoderEvent[] = [];
      for (;;) {
        const at = findMagic(buf);
        if (at < 0) {
          // Keep a trailing 'L' that may start a frame.
          const keep = buf.length && buf[buf.length - 1] === MAGIC0 ? 1 : 0;
          if (buf.length - keep > 0)
            events.push({ kind: 'noise', bytes: buf.subarray(0, buf.length - keep) });
          buf = buf.subarray(buf.length - keep);
          break;
        }
        if (at > 0) {
          events.push({ kind: 'noise', bytes: buf.subarray(0, at) });
          buf = buf.subarray(at);
        }
        if (buf.length < HEADER_BYTES) break;
        const len = buf.readUInt16LE(6);
        if (len > maxPayload) {
          events.push({ kind: 'bad', seq: null });
          buf = buf.subarray(1);
          continue;
        }
        if (buf.length < FRAME_OVERHEAD + len) break;
        const crc = buf.readUInt32LE(HEADER_BYTES + len);
        if (crc !== crc32(buf, 2, HEADER_BYTES + len)) {
          events.push({ kind: 'bad', seq: buf.readUInt16LE(4) });
          buf = buf.subarray(1);
          continue;
        }
        events.push({
          kind: 'frame',
          frame: {
            type: buf[2]!,
            flags: buf[3]!,
            seq: buf.readUInt16LE(4),
            payload: Buffer.from(buf.subarray(HEADER_BYTES, HEADER_BYTES + len)),
          },
        });
        buf = buf.subarray(FRAME_OVERHEAD + len);
      }
      return events;
    },
    /** Whether a partial frame is waiting for more bytes. */
    get pending() {
      return buf.length > 0;
    },
    reset() {
      buf = Buffer.alloc(0);
    },
  };
}

function findMagic(buf: Buffer): number {
  for (let i = 0; i + 1 < buf.length; i++) if (buf[i] === MAGIC0 && buf[i + 1] === MAGIC1) return i;
  return -1;
}
