/**
 * Version 3's file-set stream (docs/serial-protocol.md §4.2): one manifest for every file, then the
 * files' bytes back to back, deflated as one stream when the unit can inflate and it is smaller.
 * One set costs one frame header per max payload and a few bytes per file, never a round trip per file.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { SetEncoding, payload, reader } from './protocol';

export interface SetEntry {
  /** The path on the unit (relative to its state directory). */
  target: string;
  mode: number;
  content: Buffer;
}

/** The decoded stream: `u8` count, count × (`u32` size, `u16` mode, `str8` path), then the bytes. */
export function setStream(entries: readonly SetEntry[]): Buffer {
  if (entries.length > 255) throw new RangeError('a file set holds at most 255 files');
  return Buffer.concat([
    payload(
      { u8: entries.length },
      ...entries.flatMap((e) => [{ u32: e.content.length }, { u16: e.mode & 0o7777 }, { str8: e.target }]),
    ),
    ...entries.map((e) => e.content),
  ]);
}

/** The bytes that go on the wire and how they are encoded: deflate only when allowed and smaller. */
export function encodeSet(
  entries: readonly SetEntry[],
  deflate: boolean,
): { encoding: number; wire: Buffer; streamBytes: number } {
  const stream = setStream(entries);
  if (deflate) {
    const packed = zlib.deflateRawSync(stream, { level: 9 });
    if (packed.length < stream.length)
      return { encoding: SetEncoding.DEFLATE, wire: packed, streamBytes: stream.length };
  }
  return { encoding: SetEncoding.STORED, wire: stream, streamBytes: stream.length };
}

/** The unit's side: the manifest and each file's bytes; throws RangeError on a malformed stream. */
export function decodeSet(encoding: number, wire: Buffer): SetEntry[] {
  let stream: Buffer;
  if (encoding === SetEncoding.DEFLATE) {
    try {
      stream = zlib.inflateRawSync(wire);
    } catch {
      throw new RangeError('the deflate stream does not inflate');
    }
  } else if (encoding === SetEncoding.STORED) stream = wire;
  else throw new RangeError(`unknown set encoding ${encoding}`);
  const r = reader(stream);
  const count = r.u8();
  const heads = Array.from({ length: count }, () => ({ size: r.u32(), mode: r.u16(), target: r.str8() }));
  const entries = heads.map((h) => ({
    target: h.target,
    mode: h.mode,
    content: Buffer.from(r.bytes(h.size)),
  }));
  if (r.rest().length !== 0) throw new RangeError('bytes after the last file of the set');
  return entries;
}

/** SHA-256 over the files' own SHA-256 digests, in order (the read-back answer, as VERIFY's). */
export function setDigest(contents: ReadonlyArray<Buffer | null>): Buffer {
  const combined = createHash('sha256');
  for (const c of contents) if (c) combined.update(createHash('sha256').update(c).digest());
  return combined.digest();
}
