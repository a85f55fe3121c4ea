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
import { shareRewrites, type BatchValues } from './rewriteHelper';
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
export const VALUE_BATCH = 1024;
const BATCH = VALUE_BATCH;

/**
 * Where each item of `device.db` sits, read in one quick pass over the lengths (no value or key
 * decoded): each key's and value's offset and length, and how the file ends: whole, torn (the agent
 * stops there quietly) or damaged (`failure`, raised only after every whole item before it).
 */
export interface DatabaseFrames {
  /**
   * Every key as text, once decodeKeys was asked (the journal's lookup path needs them); until then
   * an item's key is its value's own `sk` when that spells the key's bytes, decoded only when not.
   */
  sks: string[] | null;
  keyAts: number[];
  keyLengths: number[];
  /**
   * True when every key is ASCII and sorts strictly after the one before (the agent's order, no key
   * twice): then the keys' byte order is their string order, and the journal is merged with the
   * items as they come.
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
    sks: null,
    keyAts,
    keyLengths,
    ordered: false,
    starts: [],
    lengths: [],
    tail: null,
    failure: null,
  };
  // Each item is two lengths and their bytes; an item that does not fit whole in what is left is a
  // torn tail (the agent stops there quietly). Nothing else can stop the walk.
  const { view, littleEndian } = reader;
  const size = bytes.length;
  const { starts, lengths } = frames;
  let at = 2;
  while (at < size) {
    const keyAt = at + 4;
    const keyLength = size - at >= 4 ? view.getUint32(at, littleEndian) : -1;
    // The key's bytes and the value's length must be there, then the value's bytes.
    const valueLength =
      keyLength >= 0 && keyLength <= size - keyAt - 4 ? view.getUint32(keyAt + keyLength, littleEndian) : -1;
    const valueAt = keyAt + keyLength + 4;
    if (valueLength < 0 || valueLength > size - valueAt) {
      frames.tail = { offset: at, droppedBytes: size - at };
      break;
    }
    keyAts.push(keyAt);
    keyLengths.push(keyLength);
    starts.push(valueAt);
    lengths.push(valueLength);
    at = valueAt + valueLength;
  }
  frames.ordered = keysAscending(bytes, keyAts, keyLengths);
  return frames;
}

/** True when every key is ASCII and strictly after the one before in byte order. */
function keysAscending(src: Uint8Array, keyAts: number[], keyLengths: number[]): boolean {
  let high = 0;
  let previous = 0;
  let previousLength = -1;
  for (let k = 0; k < keyAts.length; k++) {
    const from = keyAts[k]!;
    const length = keyLengths[k]!;
    // Strictly after the key before: the first differing byte is larger, or the key before is a prefix.
    const common = length < previousLength ? length : previousLength;
    let i = 0;
    while (i < common && src[from + i] === src[previous + i]) i++;
    if (previousLength >= 0 && !(i < common ? src[from + i]! > src[previous + i]! : length > previousLength))
      return false;
    for (let j = i; j < length; j++) high |= src[from + j]!;
    previous = from;
    previousLength = length;
  }
  return (high & 0x80) === 0;
}

/**
 * Decodes every key (frames.sks). A key that is not UTF-8 ends the file there, as the agent's
 * reader stops: the items before it stay, and `failure` names its offset.
 */
export function decodeFrameKeys(bytes: Uint8Array, frames: DatabaseFrames, file = 'device.db'): string[] {
  if (frames.sks) return frames.sks;
  const reader = new Reader(bytes, file, true);
  const { keyAts, keyLengths } = frames;
  frames.sks = decodeKeys(reader, keyAts, keyLengths);
  if (frames.sks.length < frames.starts.length) {
    const k = frames.sks.length;
    frames.starts.length = frames.lengths.length = k;
    frames.tail = null;
    try {
      reader.slice(keyAts[k]!, keyLengths[k]!, keyAts[k]!, 'key');
    } catch (error) {
      frames.failure = error;
    }
    keyAts.length = keyLengths.length = k;
  }
  return frames.sks;
}

/**
 * Every key as text with one native decode: the keys copied back to back, each followed by 0xFF
 * (never part of UTF-8, so it decodes to U+FFFD), then split on U+FFFD. When that gives one piece
 * too many, some key holds U+FFFD itself or bytes that are not UTF-8; then the keys are decoded one
 * by one and the list stops before the first bad one (the caller reports it).
 */
function decodeKeys(reader: Reader, keyAts: number[], keyLengths: number[]): string[] {
  const n = keyAts.length;
  let room = n;
  for (let k = 0; k < n; k++) room += keyLengths[k]!;
  const src = reader.bytes;
  const joined = Buffer.allocUnsafe(room);
  let o = 0;
  for (let k = 0; k < n; k++) {
    const from = keyAts[k]!;
    const to = from + keyLengths[k]!;
    for (let i = from; i < to; i++) joined[o++] = src[i]!;
    joined[o++] = 0xff;
  }
  const pieces = joined.toString('utf8', 0, o).split('\uFFFD');
  if (pieces.length === n + 1) {
    pieces.length = n;
    return pieces;
  }
  const keys: string[] = [];
  for (let k = 0; k < n; k++) {
    const key = reader.buffer.toString('utf8', keyAts[k]!, keyAts[k]! + keyLengths[k]!);
    if (key.includes('\uFFFD')) {
      try {
        utf8.decode(src.subarray(keyAts[k]!, keyAts[k]! + keyLengths[k]!));
      } catch {
        return keys;
      }
    }
    keys.push(key);
  }
  return keys;
}

/** True when `text` is ASCII and spells the `length` bytes at `at`. */
function spells(text: string, bytes: Uint8Array, at: number, length: number): boolean {
  if (text.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || c !== bytes[at + i]) return false;
  }
  return true;
}

/**
 * The values of framed items, parsed a batch at a time, the rewriting shared with a helper thread
 * where that helps (rewriteHelper.ts). Started as soon as the file is framed, so the helper works
 * while the journal is read; framedItemBatches takes it.
 */
export function startValues(bytes: Uint8Array, frames: DatabaseFrames): BatchValues {
  return shareRewrites(bytes, frames.starts, frames.lengths, BATCH);
}

/** The framed items with their values parsed, one batch (array) at a time, in file order. */
export function* framedItemBatches(
  bytes: Uint8Array,
  frames: DatabaseFrames,
  file = 'device.db',
  started?: BatchValues,
): Generator<DeviceItem[]> {
  const reader = new Reader(bytes, file, true);
  const parsed = started ?? startValues(bytes, frames);
  try {
    yield* itemBatches(reader, frames, parsed);
  } finally {
    parsed.finish();
  }
}

function* itemBatches(reader: Reader, frames: DatabaseFrames, parsed: BatchValues): Generator<DeviceItem[]> {
  const { bytes, file } = reader;
  const { starts, lengths, keyAts, keyLengths } = frames;
  const total = starts.length;
  for (let from = 0; from < total; from += BATCH) {
    const count = Math.min(BATCH, total - from);
    const values = parsed.values(from, count);
    const batch: DeviceItem[] = [];
    for (let k = from; k < from + count; k++) {
      const valueAt = starts[k]!;
      let sk: string;
      let fields: Record<string, unknown>;
      try {
        const given = values ? (values[k - from] as Record<string, unknown>) : null;
        const own = given?.sk;
        // The key's text is the value's own sk when that spells its bytes (always, as the agent
        // saves items); otherwise it is decoded, and a key that is not UTF-8 ends the file here.
        sk =
          frames.sks?.[k] ??
          (typeof own === 'string' && spells(own, bytes, keyAts[k]!, keyLengths[k]!)
            ? own
            : reader.slice(keyAts[k]!, keyLengths[k]!, keyAts[k]!, 'key'));
        fields =
          given ??
          parseObject(reader, bytes.subarray(valueAt, valueAt + lengths[k]!), valueAt, `value of ${sk}`);
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

function readCString(reader: Reader, limit: number, what: string): string {
  const at = reader.offset;
  const length = reader.u32(`${what} length`);
  if (length < 1) throw damaged(reader.file, at, `the ${what} has length 0 (it must include its NUL)`);
  const raw = reader.take(length, what, limit);
  if (raw[length - 1] !== 0)
    throw damaged(reader.file, at + 4 + length - 1, `the ${what} does not end in NUL`);
  return reader.text(raw.subarray(0, length - 1), at + 4, what);
}

const commandBytes = journalCommands.map((c) => Buffer.from(`${c}\0`, 'latin1'));

/** A record's command, matched on its bytes (one of four), without decoding them. */
function readCommand(reader: Reader, limit: number): JournalCommand {
  const at = reader.offset;
  const length = reader.bytes.length - at >= 4 ? reader.view.getUint32(at, reader.littleEndian) : -1;
  if (length > 0 && length <= limit - at - 4)
    for (let c = 0; c < commandBytes.length; c++) {
      const want = commandBytes[c]!;
      if (want.length !== length) continue;
      let i = 0;
      while (i < length && reader.bytes[at + 4 + i] === want[i]) i++;
      if (i === length) {
        reader.offset = at + 4 + length;
        return journalCommands[c]!;
      }
    }
  const command = readCString(reader, limit, 'command');
  throw damaged(reader.file, at, `unknown journal command "${command.slice(0, 40)}"`);
}

/** A record's model name; the same bytes as the record before give the same text without a decode. */
function readModel(
  reader: Reader,
  limit: number,
  last: { at: number; length: number; text: string },
): string {
  const at = reader.offset;
  const bytes = reader.bytes;
  const length = bytes.length - at >= 4 ? reader.view.getUint32(at, reader.littleEndian) : -1;
  if (
    last.at >= 0 &&
    length === last.length &&
    length > 1 &&
    length <= limit - at - 4 &&
    bytes[at + 3 + length] === 0
  ) {
    let i = 0;
    while (i < length && bytes[at + 4 + i] === bytes[last.at + i]) i++;
    if (i === length) {
      reader.offset = at + 4 + length;
      return last.text;
    }
  }
  const text = readCString(reader, limit, 'model name');
  last.at = at + 4;
  last.length = length;
  last.text = text;
  return text;
}

/** The agent's limit for one string of a record (its item limit). */
export const MAX_JOURNAL_STRING = 256 * 1024;

/** Where each journal record's parts sit, read in one pass before any value is parsed. */
export interface JournalFrames {
  littleEndian: boolean;
  commands: JournalCommand[];
  models: string[];
  offsets: number[];
  /** Each value's offset and length (without its NUL). */
  starts: number[];
  lengths: number[];
  /** Where the last record was cut short, if it was (the replay ends there quietly). */
  tail: TornTail | null;
  /** A damaged record: raised after every whole record before it. */
  failure: unknown;
}

/**
 * Frames every record of `device.db.jnl` (commands, models, where each value is). Layout
 * (ioto-contracts.md §6): uint32 recordSize = the three strings' bytes with their NULs, NOT
 * counting their three uint32 length fields; so a record is 4 + 12 + recordSize bytes. A record cut
 * short at the end (a torn append) ends the replay quietly, as in the agent: `tail`.
 */
export function frameJournal(bytes: Uint8Array, file = 'device.db.jnl'): JournalFrames {
  const order = detectByteOrder(bytes, file);
  const reader = new Reader(bytes, file, order === 'little-endian');
  const frames: JournalFrames = {
    littleEndian: order === 'little-endian',
    commands: [],
    models: [],
    offsets: [],
    starts: [],
    lengths: [],
    tail: null,
    failure: null,
  };
  const { commands, models, offsets, starts, lengths } = frames;
  // Records name the same model again and again: its text is decoded once.
  const lastModel = { at: -1, length: 0, text: '' };
  try {
    while (reader.remaining > 0) {
      const offset = reader.offset;
      if (reader.remaining < 4) {
        frames.tail = { offset, droppedBytes: bytes.length - offset };
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
        frames.tail = { offset, droppedBytes: bytes.length - offset };
        break;
      }
      const end = reader.offset + 12 + recordSize;
      const command = readCommand(reader, end);
      const model = readModel(reader, end, lastModel);
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
    frames.failure = error;
  }
  return frames;
}

/**
 * The framed journal's records with their values parsed, in order, then the framing's failure if
 * there was one. `shared` shares the values' rewriting with the helper thread (startJournalValues).
 */
export function* journalRecords(
  bytes: Uint8Array,
  frames: JournalFrames,
  file = 'device.db.jnl',
  shared?: BatchValues | null,
): Generator<JournalRecord> {
  const reader = new Reader(bytes, file, frames.littleEndian);
  const { commands, models, offsets, starts, lengths } = frames;
  for (let from = 0; from < offsets.length; from += BATCH) {
    const count = Math.min(BATCH, offsets.length - from);
    const values = shared ? shared.values(from, count) : parseValues(bytes, starts, lengths, count, from);
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
  if (frames.failure) throw frames.failure;
}

/** The journal's values, their rewriting shared with the helper thread where that helps. */
export function startJournalValues(bytes: Uint8Array, frames: JournalFrames): BatchValues {
  return shareRewrites(bytes, frames.starts, frames.lengths, BATCH, { keep: false });
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
