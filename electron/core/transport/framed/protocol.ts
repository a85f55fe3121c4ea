/** Command numbers, status codes and payload helpers of the framed protocol, versions 1 to 3. */
/** The newest version this station speaks (offered in HELLO). */
export const PROTOCOL_VERSION = 3;
/** The oldest version this station still speaks: a v1 unit gets stop-and-wait and per-file HASH. */
export const OLDEST_PROTOCOL_VERSION = 1;
/**
 * Versions 2 and 3: how many requests the station keeps in flight (it never exceeds the unit's announced
 * window). 8 frames of a real unit's file set are under 2 KiB; a large file's 16 KiB frames keep the
 * line busy with two.
 */
export const STATION_WINDOW = 8;

/**
 * Version 3: HELLO's feature byte. `DEFLATE`: the unit inflates a raw deflate stream (RFC 1951) in
 * SET_BEGIN/SET_DATA, as esptool's stub and the ESP32 ROM (tinfl) do for flash writes.
 */
export const Feature = { DEFLATE: 0x01 } as const;
/** What this station can send (offered in a v3 HELLO). */
export const STATION_FEATURES = Feature.DEFLATE;

/** Version 3: how a SET stream is encoded on the wire. */
export const SetEncoding = { STORED: 0, DEFLATE: 1 } as const;

export const Cmd = {
  HELLO: 0x01,
  NAK: 0x02,
  PUT_BEGIN: 0x10,
  PUT_DATA: 0x11,
  /** Version 3: a whole file set (manifest + bytes) as one stream; the last frame's reply reads it back. */
  SET_BEGIN: 0x13,
  SET_DATA: 0x14,
  HASH: 0x20,
  GET: 0x21,
  /** Version 2: the digests of several files in one exchange. */
  VERIFY: 0x22,
  STORE_LIST: 0x30,
  STORE_GET: 0x31,
  STORE_SET: 0x32,
  COMMIT: 0x40,
  REBOOT: 0x41,
  /** Certificate signing request: the unit makes a key pair, keeps the key, returns a CSR (DER). */
  CSR: 0x50,
} as const;

export const Status = {
  OK: 0,
  BAD_REQUEST: 1,
  NOT_FOUND: 2,
  IO_ERROR: 3,
  NO_SPACE: 4,
  VERSION: 5,
  BAD_STATE: 6,
  UNKNOWN_COMMAND: 7,
  TOO_LARGE: 8,
  /** CSR: the unit cannot make keys of the requested type. */
  KEY_TYPE: 9,
} as const;

/** CSR request: the key type byte. */
export const CsrKeyType = { rsa2048: 1, rsa3072: 2, 'ec-p256': 3 } as const;

/**
 * How long the station waits for a CSR reply before retransmitting: a microcontroller may take
 * many seconds to generate an RSA key. A retransmission is answered from the unit's reply cache,
 * so the key is never generated twice for one request.
 */
export const CSR_REPLY_TIMEOUT_MS = 60_000;

export const statusNames: Record<number, string> = Object.fromEntries(
  Object.entries(Status).map(([k, v]) => [v, k]),
);

/** The largest payload a station accepts, and the default it offers in HELLO. */
export const HOST_MAX_PAYLOAD = 16384;

/** A little-endian payload writer. */
export function payload(
  ...parts: Array<{ u8: number } | { u16: number } | { u32: number } | { str8: string } | Buffer>
): Buffer {
  const bufs = parts.map((p) => {
    if (Buffer.isBuffer(p)) return p;
    if ('u8' in p) return Buffer.from([p.u8 & 0xff]);
    if ('u16' in p) {
      const b = Buffer.alloc(2);
      b.writeUInt16LE(p.u16);
      return b;
    }
    if ('u32' in p) {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(p.u32);
      return b;
    }
    const s = Buffer.from(p.str8, 'utf8');
    if (s.length > 255) throw new Error(`string longer than 255 bytes: ${p.str8.slice(0, 40)}`);
    return Buffer.concat([Buffer.from([s.length]), s]);
  });
  return Buffer.concat(bufs);
}

/** A little-endian payload reader that throws on a short payload. */
export function reader(buf: Buffer) {
  let at = 0;
  const need = (n: number) => {
    if (at + n > buf.length)
      throw new RangeError(`payload too short: need ${at + n} bytes, have ${buf.length}`);
  };
  return {
    u8() {
      need(1);
      return buf[at++]!;
    },
    u16() {
      need(2);
      const v = buf.readUInt16LE(at);
      at += 2;
      return v;
    },
    u32() {
      need(4);
      const v = buf.readUInt32LE(at);
      at += 4;
      return v;
    },
    bytes(n: number) {
      need(n);
      const v = buf.subarray(at, at + n);
      at += n;
      return v;
    },
    str8() {
      const n = this.u8();
      return this.bytes(n).toString('utf8');
    },
    rest() {
      const v = buf.subarray(at);
      at = buf.length;
      return v;
    },
  };
}
