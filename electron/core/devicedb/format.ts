/**
 * The Ioto agent's local database files (ioto-contracts.md §6), read without the agent:
 * `device.db` (uint16 version, then key/value pairs) and its journal `device.db.jnl`
 * (uint16 version, then records of three NUL-terminated strings: command, model, value).
 * Integers are in the device's byte order, detected from the version field (2).
 *
 * Every read is bounds-checked. A file whose last item or record is cut short ends there quietly,
 * as the agent reads it (a torn append after a power cut), and says where and how many bytes it
 * dropped; a damaged one ends in a `corrupt-file` Failure naming the byte offset, never an
 * exception from deep inside or a loop that does not end.
 */
import JSON5 from 'json5';
import { Failure } from '../failure';
import { parseRelaxedJson } from './relaxedJson';
import { parseValues } from './strictJson';

export const DB_VERSION = 2;
export type ByteOrder = 'little-endian' | 'big-endian';
export type JournalCommand = 'create' | 'update' | 'upsert' | 'remove';
export const journalCommands: readonly JournalCommand[] = ['create', 'update', 'upsert', 'remove'];

/** One item: its sort key, its model (`_type`) and every field as the device holds it. */
export interface DeviceItem {
  sk: string;
  model: string;
  fields: Record<string, unknown>;
}

export interface JournalRecord {
  command: JournalCommand;
  model: string;
  value: Record<string, unknown>;
  /** Offset of the record's length field in the journal file. */
  offset: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function damaged(file: string, offset: number, what: string): Failure {
  return new Failure(
    'corrupt-file',
    `${file} is damaged at byte ${offset}: ${what}. Copy the file from the device again; if it stays damaged, the device's database needs repair.`,
    { detail: `file ${file}, byte offset ${offset}: ${what}` },
  );
}

/** A bounds-checked cursor over one file's bytes. */
class Reader {
  readonly view: DataView;
  readonly buffer: Buffer;
  offset = 2;
  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
    readonly littleEndian: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get remaining(): number {
    return this.bytes.length - this.offset;
  }
  /** True when `length` more bytes are there; a cut-short file ends the read quietly (CutShort). */
  whole(length: number): void {
    if (length > this.remaining) throw new CutShort();
  }
  u32(what: string): number {
    if (this.remaining < 4)
      throw damaged(this.file, this.offset, `the ${what} is cut short (${this.remaining} of 4 bytes)`);
    const n = this.view.getUint32(this.offset, this.littleEndian);
    this.offset += 4;
    return n;
  }
  take(length: number, what: string, limit = this.bytes.length): Uint8Array {
    const start = this.skip(length, what, limit);
    return this.bytes.subarray(start, start + length);
  }
  /** Steps over `length` bytes (bounds-checked like take) and returns where they start. */
  skip(length: number, what: string, limit = this.bytes.length): number {
    const start = this.offset;
    if (length > limit - start)
      throw damaged(
        this.file,
        start - 4,
        `the ${what} claims ${length} bytes but only ${Math.max(0, limit - start)} remain`,
      );
    this.offset += length;
    return start;
  }
  text(bytes: Uint8Array, at: number, what: string): string {
    return this.slice(bytes.byteOffset - this.bytes.byteOffset, bytes.length, at, what);
  }
  /** UTF-8 text of `length` bytes at `start`: decoded natively, validated only when it looks damaged. */
  slice(start: number, length: number, at: number, what: string): string {
    const out = this.buffer.toString('utf8', start, start + length);
    // The lenient decoder marks a bad sequence with U+FFFD; only then is the strict one asked.
    if (out.includes('\uFFFD'))
      try {
        utf8.decode(this.bytes.subarray(start, start + length));
      } catch {
        throw damaged(this.file, at, `the ${what} is not valid UTF-8 text`);
      }
    return out;
  }
}

/** Reads the version field and returns the byte order it reveals. */
export function detectByteOrder(bytes: Uint8Array, file: string): ByteOrder {
  if (bytes.length < 2)
    throw damaged(file, 0, `the file is ${bytes.length} bytes long, too short for its version`);
  if (bytes[0] === DB_VERSION && bytes[1] === 0) return 'little-endian';
  if (bytes[0] === 0 && bytes[1] === DB_VERSION) return 'big-endian';
  throw damaged(
    file,
    0,
    `the version field is 0x${bytes[0]!.toString(16).padStart(2, '0')}${bytes[1]!.toString(16).padStart(2, '0')}, expected ${DB_VERSION} in either byte order`,
  );
}

function parseObject(reader: Reader, raw: Uint8Array, at: number, what: string): Record<string, unknown> {
  const text = reader.text(raw, at, what);
  let value: unknown = parseRelaxedJson(text);
  if (value === undefined) {
    try {
      value = JSON5.parse(text);
    } catch (error) {
      throw damaged(reader.file, at, `the ${what} is not a JSON5 object (${(error as Error).message})`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw damaged(reader.file, at, `the ${what} is not a JSON5 object`);
  return value as Record<string, unknown>;
}

/**
 * Where a file stopped being readable whole: the agent stops there quietly (a torn append after a
 * power cut), keeping everything before it. `offset` is where the cut item or record starts.
 */
export interface TornTail {
  offset: number;
  droppedBytes: number;
}

/** Thrown inside a reader when the bytes run out mid-item: caught by the loop, never escapes. */
class CutShort extends Error {}

/** Values are parsed this many at a time (one JSON.parse per batch, see strictJson.ts). */
const BATCH = 1024;

/**
 * Where each item of `device.db` sits, read in one quick pass over the lengths (no value parsed):
 * the sort keys, each value's offset and length, and how the file ends: whole, torn (the agent
 * stops there quietly) or damaged (`failure`, raised only after every whole item before it).
 */
export interface DatabaseFrames {
  sks: string[];
  /**
   * True when every key is ASCII and sorts strictly after the one before (the agent's order, no key
   * twice): then the keys' string order is their byte order, and a binary search over `sks` works.
   */
  ordered: boolean;
  starts: number[];
  lengths: number[];
  tail: TornTail | null;
  failure: unknown;
}

export function frameDatabase(bytes: Uint8Array, file = 'device.db'): DatabaseFrames {
  const order = detectByteOrder(bytes, file);
  const reader = new Reader(bytes, file, order === 'little-endian');
  const keyAts: number[] = [];
  const keyLengths: number[] = [];
  const frames: DatabaseFrames = {
    sks: [],
    ordered: false,
    starts: [],
    lengths: [],
    tail: null,
    failure: null,
  };
  try {
    while (reader.remaining > 0) {
      const at = reader.offset;
      try {
        reader.whole(4);
        const keyLength = reader.u32('key length');
        reader.whole(keyLength);
        keyAts.push(reader.skip(keyLength, 'key'));
        keyLengths.push(keyLength);
        reader.whole(4);
        const valueLength = reader.u32('value length');
        reader.whole(valueLength);
        frames.starts.push(reader.offset);
        frames.lengths.push(valueLength);
        reader.skip(valueLength, 'value');
      } catch (error) {
        if (!(error instanceof CutShort)) throw error;
        // A key read whole whose value was cut short is not an item.
        keyAts.length = keyLengths.length = frames.starts.length;
        frames.tail = { offset: at, droppedBytes: bytes.length - at };
        break;
      }
    }
  } catch (error) {
    keyAts.length = keyLengths.length = frames.starts.length;
    frames.failure = error;
  }
  const decoded = decodeKeys(reader, keyAts, keyLengths);
  frames.sks = decoded.keys;
  frames.ordered = decoded.ordered;
  if (frames.sks.length < frames.starts.length) {
    // A key that is not UTF-8 ends the file there, as it did when keys were read one by one.
    frames.starts.length = frames.lengths.length = frames.sks.length;
    frames.tail = null;
    try {
      const k = frames.sks.length;
      reader.slice(keyAts[k]!, keyLengths[k]!, keyAts[k]!, 'key');
    } catch (error) {
      frames.failure = error;
    }
  }
  return frames;
}

/**
 * Every key as text with one native decode: the keys copied back to back, each followed by 0xFF
 * (never part of UTF-8, so it decodes to U+FFFD), then split on U+FFFD. When that gives one piece
 * too many, some key holds U+FFFD itself or bytes that are not UTF-8; then the keys are decoded one
 * by one and the list stops before the first bad one (the caller reports it). The same copy says
 * whether the keys are ASCII in strictly ascending byte order (`ordered`).
 */
function decodeKeys(
  reader: Reader,
  keyAts: number[],
  keyLengths: number[],
): { keys: string[]; ordered: boolean } {
  const n = keyAts.length;
  let room = n;
  for (let k = 0; k < n; k++) room += keyLengths[k]!;
  const src = reader.bytes;
  const joined = Buffer.allocUnsafe(room);
  let o = 0;
  let high = 0;
  let ordered = true;
  let previous = 0;
  let previousLength = -1;
  for (let k = 0; k < n; k++) {
    const from = keyAts[k]!;
    const length = keyLengths[k]!;
    if (ordered && previousLength >= 0) {
      // Strictly after the key before: the first differing byte is larger, or the key before is a prefix.
      const common = length < previousLength ? length : previousLength;
      let i = 0;
      while (i < common && src[from + i] === src[previous + i]) i++;
      ordered = i < common ? src[from + i]! > src[previous + i]! : length > previousLength;
    }
    previous = from;
    previousLength = length;
    const to = from + length;
    for (let i = from; i < to; i++) {
      const b = src[i]!;
      high |= b;
      joined[o++] = b;
    }
    joined[o++] = 0xff;
  }
  ordered &&= (high & 0x80) === 0;
  const pieces = joined.toString('utf8', 0, o).split('\uFFFD');
  if (pieces.length === n + 1) {
    pieces.length = n;
    return { keys: pieces, ordered };
  }
  const keys: string[] = [];
  for (let k = 0; k < n; k++) {
    const key = reader.buffer.toString('utf8', keyAts[k]!, keyAts[k]! + keyLengths[k]!);
    if (key.includes('\uFFFD')) {
      try {
        utf8.decode(src.subarray(keyAts[k]!, keyAts[k]! + keyLengths[k]!));
      } catch {
        return { keys, ordered: false };
      }
    }
    keys.push(key);
  }
  return { keys, ordered: false };
}

/** The framed items with their values parsed, one batch (array) at a time, in file order. */
export function* framedItemBatches(
  bytes: Uint8Array,
  frames: DatabaseFrames,
  file = 'device.db',
): Generator<DeviceItem[]> {
  const reader = new Reader(bytes, file, true);
  const { sks, starts, lengths } = frames;
  for (let from = 0; from < sks.length; from += BATCH) {
    const count = Math.min(BATCH, sks.length - from);
    const values = parseValues(bytes, starts, lengths, count, from);
    const batch: DeviceItem[] = [];
    for (let k = from; k < from + count; k++) {
      const sk = sks[k]!;
      const valueAt = starts[k]!;
      let fields: Record<string, unknown>;
      try {
        fields = values
          ? (values[k - from] as Record<string, unknown>)
          : parseObject(reader, bytes.subarray(valueAt, valueAt + lengths[k]!), valueAt, `value of ${sk}`);
        if (typeof fields._type !== 'string' || fields._type === '')
          throw damaged(file, valueAt, `the value of ${sk} has no _type (model name)`);
      } catch (error) {
        // The whole items before the bad one still count.
        if (batch.length > 0) yield batch;
        throw error;
      }
      batch.push({ sk, model: fields._type, fields });
    }
    yield batch;
  }
  if (frames.failure) throw frames.failure;
}

/** Items of `device.db`, one by one in file order (sort-key order on a healthy device). */
export function* readDatabase(
  bytes: Uint8Array,
  file = 'device.db',
  torn?: { tail?: TornTail },
): Generator<DeviceItem> {
  const frames = frameDatabase(bytes, file);
  for (const batch of framedItemBatches(bytes, frames, file)) yield* batch;
  if (torn && frames.tail) torn.tail = frames.tail;
}

/** Only the sort keys of `device.db`, skipping values: a quick first pass (stops where items stop). */
export function* readDatabaseKeys(bytes: Uint8Array, file = 'device.db'): Generator<string> {
  const order = detectByteOrder(bytes, file);
  const reader = new Reader(bytes, file, order === 'little-endian');
  while (reader.remaining > 0) {
    const at = reader.offset;
    if (reader.remaining < 4) return;
    const keyLength = reader.u32('key length');
    if (reader.remaining < keyLength) return;
    const key = reader.text(reader.take(keyLength, 'key'), at + 4, 'key');
    if (reader.remaining < 4) return;
    const valueLength = reader.u32('value length');
    if (reader.remaining < valueLength) return;
    reader.take(valueLength, 'value');
    yield key;
  }
}

function readCString(reader: Reader, limit: number, what: string): string {
  const at = reader.offset;
  const length = reader.u32(`${what} length`);
  if (length < 1) throw damaged(reader.file, at, `the ${what} has length 0 (it must include its NUL)`);
  const raw = reader.take(length, what, limit);
  if (raw[length - 1] !== 0)
    throw damaged(reader.file, at + 4 + length - 1, `the ${what} does not end in NUL`);
  return reader.text(raw.subarray(0, length - 1), at + 4, what);
}

/** The agent's limit for one string of a record (its item limit). */
export const MAX_JOURNAL_STRING = 256 * 1024;

/**
 * Records of `device.db.jnl`, in order. Layout (ioto-contracts.md §6): uint32 recordSize = the
 * three strings' bytes with their NULs, NOT counting their three uint32 length fields; so a record
 * is 4 + 12 + recordSize bytes. A record cut short at the end (a torn append) ends the replay
 * quietly, as in the agent; its offset and the dropped byte count go to `torn.tail`.
 */
export function* readJournal(
  bytes: Uint8Array,
  file = 'device.db.jnl',
  torn?: { tail?: TornTail },
): Generator<JournalRecord> {
  const order = detectByteOrder(bytes, file);
  const reader = new Reader(bytes, file, order === 'little-endian');
  // Frame every record first (commands, models, where each value is); parse values in batches.
  const commands: JournalCommand[] = [];
  const models: string[] = [];
  const offsets: number[] = [];
  const starts: number[] = [];
  const lengths: number[] = [];
  let failure: unknown = null;
  try {
    while (reader.remaining > 0) {
      const offset = reader.offset;
      if (reader.remaining < 4) {
        if (torn) torn.tail = { offset, droppedBytes: bytes.length - offset };
        break;
      }
      const recordSize = reader.u32('record size');
      if (recordSize < 3 || recordSize > 3 * MAX_JOURNAL_STRING)
        throw damaged(
          file,
          offset,
          `the record size is ${recordSize}, outside 3..${3 * MAX_JOURNAL_STRING} bytes`,
        );
      if (reader.remaining < 12 + recordSize) {
        if (torn) torn.tail = { offset, droppedBytes: bytes.length - offset };
        break;
      }
      const end = reader.offset + 12 + recordSize;
      const command = readCString(reader, end, 'command');
      if (!(journalCommands as readonly string[]).includes(command))
        throw damaged(file, offset + 4, `unknown journal command "${command.slice(0, 40)}"`);
      const model = readCString(reader, end, 'model name');
      const valueAt = reader.offset;
      const valueLength = reader.u32('value length');
      if (valueLength < 1) throw damaged(file, valueAt, 'the value has length 0 (it must include its NUL)');
      const raw = reader.take(valueLength, 'value', end);
      if (raw[valueLength - 1] !== 0)
        throw damaged(file, valueAt + 4 + valueLength - 1, 'the value does not end in NUL');
      if (reader.offset !== end)
        throw damaged(
          file,
          offset,
          `the record size says ${recordSize} bytes but its strings hold ${recordSize - (end - reader.offset)}`,
        );
      commands.push(command as JournalCommand);
      models.push(model);
      offsets.push(offset);
      starts.push(valueAt + 4);
      lengths.push(valueLength - 1);
    }
  } catch (error) {
    failure = error;
  }
  for (let from = 0; from < offsets.length; from += BATCH) {
    const count = Math.min(BATCH, offsets.length - from);
    const values = parseValues(bytes, starts, lengths, count, from);
    for (let k = from; k < from + count; k++) {
      const at = starts[k]!;
      let value: unknown = values?.[k - from];
      if (!values) {
        const valueText = reader.slice(at, lengths[k]!, at, 'value');
        value = parseRelaxedJson(valueText);
        if (value === undefined)
          try {
            value = JSON5.parse(valueText);
          } catch (error) {
            throw damaged(file, at, `the value is not a JSON5 object (${(error as Error).message})`);
          }
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw damaged(file, at, 'the value is not a JSON5 object');
      if (typeof (value as { sk?: unknown }).sk !== 'string')
        throw damaged(file, at, 'the value has no sk (sort key)');
      yield {
        command: commands[k]!,
        model: models[k]!,
        value: value as Record<string, unknown>,
        offset: offsets[k]!,
      };
    }
  }
  if (failure) throw failure;
}

/** Applies one journal record to the items, as the agent replays it at start-up. */
export function applyJournalRecord(items: Map<string, DeviceItem>, record: JournalRecord): void {
  const sk = record.value.sk as string;
  if (record.command === 'remove') {
    items.delete(sk);
    return;
  }
  const previous = items.get(sk);
  const fields =
    record.command === 'update' || (record.command === 'upsert' && previous)
      ? { ...(previous?.fields ?? {}), ...record.value }
      : { ...record.value };
  if (typeof fields._type !== 'string') fields._type = record.model;
  items.set(sk, { sk, model: record.model, fields });
}
