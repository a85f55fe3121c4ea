/**
 * The device's database as the agent sees it after start-up: `device.db` with its journal replayed
 * on top, streamed in sort-key order so the first rows are ready long before the last.
 */
import { Failure } from '../failure';
import type { BatchValues } from './rewriteHelper';
import {
  applyJournalRecord,
  decodeFrameKeys,
  detectByteOrder,
  frameDatabase,
  framedItemBatches,
  readJournal,
  startValues,
  type ByteOrder,
  type DatabaseFrames,
  type DeviceItem,
  type JournalRecord,
  type TornTail,
} from './format';

export interface DeviceDatabaseFiles {
  /** Null when the unit had no `device.db` yet (it ran less than the journal age): an empty database. */
  db: Uint8Array | null;
  /** The journal, when one was copied along. */
  journal?: Uint8Array | null;
  /** Names used in error messages. */
  dbName?: string;
  journalName?: string;
}

export interface ReplayInfo {
  byteOrder: ByteOrder;
  journalRecords: number;
  /** False for a journal-only database. */
  hasDatabase: boolean;
  /** Where `device.db` stopped being whole (set once it has been read to its end). */
  dbTail: TornTail | null;
  /** Where the journal's last record was cut short, if it was. */
  journalTail: TornTail | null;
  /** How many batches of values a helper thread rewrote (rewriteHelper.ts); set at the end. */
  sharedBatches?: number;
}

/** Journal records grouped by sort key, in order; read fully first (it holds seconds of changes). */
function journalBySk(files: DeviceDatabaseFiles): {
  bySk: Map<string, JournalRecord[]>;
  count: number;
  tail: TornTail | null;
} {
  const bySk = new Map<string, JournalRecord[]>();
  let count = 0;
  const torn: { tail?: TornTail } = {};
  if (!files.journal || files.journal.length === 0) return { bySk, count, tail: null };
  for (const record of readJournal(files.journal, files.journalName, torn)) {
    const sk = record.value.sk as string;
    const list = bySk.get(sk);
    if (list) list.push(record);
    else bySk.set(sk, [record]);
    count++;
  }
  return { bySk, count, tail: torn.tail ?? null };
}

function replayOne(
  base: DeviceItem | undefined,
  records: JournalRecord[] | undefined,
): DeviceItem | undefined {
  if (!records) return base;
  const one = new Map<string, DeviceItem>();
  if (base) one.set(base.sk, base);
  for (const r of records) applyJournalRecord(one, r);
  return one.values().next().value;
}

/**
 * Every item after replay, in the file's order with the items the journal created merged in
 * sort-key order, a batch (array) at a time. `info` is filled before the first batch is yielded.
 */
export function* replayDeviceDatabaseBatches(
  files: DeviceDatabaseFiles,
  info?: Partial<ReplayInfo>,
): Generator<DeviceItem[]> {
  const dbName = files.dbName ?? 'device.db';
  const journalName = files.journalName ?? `${dbName}.jnl`;
  const db = files.db;
  if (!db && !files.journal)
    throw new Failure(
      'not-found',
      `Neither ${dbName} nor ${journalName} was given: copy the device's db folder and try again.`,
    );
  const byteOrder: ByteOrder =
    db || files.journal!.length > 0
      ? detectByteOrder(db ?? files.journal!, db ? dbName : journalName)
      : 'little-endian';
  // Where every item sits, and which journal keys the file already holds (no value parsed yet);
  // the values' rewriting starts now, on a helper thread where there is one, while the journal is read.
  const frames = db ? frameDatabase(db, dbName) : null;
  const values = frames ? startValues(db!, frames) : null;
  try {
    yield* replayFramed(files, { dbName, journalName, byteOrder, frames, values }, info);
  } finally {
    // However the reading ends (done, stopped early, or failed), the helper leaves the rest.
    values?.finish();
  }
}

function* replayFramed(
  files: DeviceDatabaseFiles,
  read: {
    dbName: string;
    journalName: string;
    byteOrder: ByteOrder;
    frames: DatabaseFrames | null;
    values: BatchValues | null;
  },
  info?: Partial<ReplayInfo>,
): Generator<DeviceItem[]> {
  const { dbName, journalName, byteOrder, frames, values } = read;
  const db = files.db;
  const { bySk, count, tail } = journalBySk({ ...files, journalName });
  if (info) {
    info.byteOrder = byteOrder;
    info.journalRecords = count;
    info.hasDatabase = db !== null;
    info.journalTail = tail;
    info.dbTail = null;
  }
  const batches = frames ? framedItemBatches(db!, frames, dbName, values!) : [];
  if (bySk.size === 0) {
    yield* batches;
    if (info) {
      info.dbTail = frames?.tail ?? null;
      info.sharedBatches = values?.helped ?? 0;
    }
    return;
  }
  // Where the journal meets the file: which items it touches and where the items it creates go.
  // In a healthy file (ASCII keys in strictly ascending order, as the agent saves them) a binary
  // search over the keys' bytes per journal key finds both, and the walk below reads one slot per
  // item; otherwise every key is decoded and looked up (the same result, more work).
  const { touched, created } = frames?.ordered
    ? placeByOrder(db!, frames, bySk)
    : placeByLookup(frames ? decodeFrameKeys(db!, frames, dbName) : [], bySk);
  let ci = 0;
  let k = 0;
  for (const batch of batches) {
    const out: DeviceItem[] = [];
    for (const item of batch) {
      while (ci < created.length && created[ci]!.before <= k) {
        const made = replayOne(undefined, created[ci++]!.records);
        if (made) out.push(made);
      }
      const records = touched(k++, item.sk);
      if (!records) out.push(item);
      else {
        const replayed = replayOne(item, records);
        if (replayed) out.push(replayed);
      }
    }
    if (out.length > 0) yield out;
  }
  if (info) {
    info.dbTail = frames?.tail ?? null;
    info.sharedBatches = values?.helped ?? 0;
  }
  const rest: DeviceItem[] = [];
  while (ci < created.length) {
    const made = replayOne(undefined, created[ci++]!.records);
    if (made) rest.push(made);
  }
  if (rest.length > 0) yield rest;
}

/** Journal keys that are not in the file, in order, each with the index of the first item after it. */
type Created = Array<{ sk: string; before: number; records: JournalRecord[] }>;
interface Placement {
  /** The records for item `k` (key `sk`), if the journal touched it. */
  touched: (k: number, sk: string) => JournalRecord[] | undefined;
  created: Created;
}

function placeByOrder(
  bytes: Uint8Array,
  frames: DatabaseFrames,
  bySk: Map<string, JournalRecord[]>,
): Placement {
  const { keyAts, keyLengths } = frames;
  const n = keyAts.length;
  const at: Array<JournalRecord[] | undefined> = new Array<JournalRecord[] | undefined>(n);
  const created: Created = [];
  // The journal's keys in code-point order (which is UTF-8 byte order, and the file's keys are
  // ASCII), then one walk along the file's keys beside them: the file is read in order, where a
  // binary search per key would jump across it.
  const journal = [...bySk.keys()]
    .sort(compareCodePoints)
    .map((sk) => ({ sk, key: Buffer.from(sk, 'utf8') }));
  let k = 0;
  for (const { sk, key } of journal) {
    let order = -1;
    while (k < n && (order = compareKey(bytes, keyAts[k]!, keyLengths[k]!, key)) < 0) k++;
    if (k < n && order === 0) at[k] = bySk.get(sk);
    else created.push({ sk, before: k, records: bySk.get(sk)! });
  }
  return { touched: (i) => at[i], created };
}

/**
 * Two keys in code-point order, which is the byte order of their UTF-8 (how the agent's keys
 * sort): UTF-16 order differs only where a character above U+FFFF (a surrogate pair) meets one
 * of U+E000..U+FFFF, so surrogates are moved above that range before comparing. (A lone
 * surrogate, which only a JSON5 escape can make, has no UTF-8 of its own; it sorts here with the
 * pairs, and against the file's ASCII keys it is above them either way.)
 */
export function compareCodePoints(a: string, b: string): number {
  const n = a.length < b.length ? a.length : b.length;
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  let x = a.charCodeAt(i);
  let y = b.charCodeAt(i);
  if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
  if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
  return x - y;
}

/** The key of `length` bytes at `from` against `key`, in byte order: <0, 0 or >0. */
function compareKey(bytes: Uint8Array, from: number, length: number, key: Uint8Array): number {
  const common = length < key.length ? length : key.length;
  for (let i = 0; i < common; i++) {
    const d = bytes[from + i]! - key[i]!;
    if (d !== 0) return d;
  }
  return length - key.length;
}

function placeByLookup(sks: string[], bySk: Map<string, JournalRecord[]>): Placement {
  const inFile = new Set<string>();
  for (const sk of sks) if (bySk.has(sk)) inFile.add(sk);
  // Each created key goes before the first item (in file order) whose key sorts after it.
  const keys = [...bySk.keys()].filter((sk) => !inFile.has(sk)).sort(compareCodePoints);
  const created: Created = [];
  let ci = 0;
  for (let k = 0; k < sks.length && ci < keys.length; k++)
    while (ci < keys.length && compareCodePoints(keys[ci]!, sks[k]!) < 0)
      created.push({ sk: keys[ci]!, before: k, records: bySk.get(keys[ci++]!)! });
  while (ci < keys.length)
    created.push({ sk: keys[ci]!, before: sks.length, records: bySk.get(keys[ci++]!)! });
  return { touched: (_k, sk) => bySk.get(sk), created };
}

/** Every item after replay, one by one (see replayDeviceDatabaseBatches). */
export function* replayDeviceDatabase(
  files: DeviceDatabaseFiles,
  info?: Partial<ReplayInfo>,
): Generator<DeviceItem> {
  for (const batch of replayDeviceDatabaseBatches(files, info)) yield* batch;
}

/** The whole database after replay. */
export function loadDeviceDatabase(files: DeviceDatabaseFiles): ReplayInfo & { items: DeviceItem[] } {
  const info: Partial<ReplayInfo> = {};
  const items: DeviceItem[] = [];
  for (const batch of replayDeviceDatabaseBatches(files, info)) for (const item of batch) items.push(item);
  return {
    byteOrder: info.byteOrder!,
    journalRecords: info.journalRecords ?? 0,
    hasDatabase: info.hasDatabase ?? true,
    dbTail: info.dbTail ?? null,
    journalTail: info.journalTail ?? null,
    sharedBatches: info.sharedBatches ?? 0,
    items,
  };
}
