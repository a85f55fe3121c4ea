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
  frameJournal,
  journalRecords,
  startJournalValues,
  startValues,
  type ByteOrder,
  type DatabaseFrames,
  type JournalFrames,
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
  /** How many batches of values (the file's and the journal's) a helper thread rewrote (rewriteHelper.ts); set at the end. */
  sharedBatches?: number;
}

/** Journal records grouped by sort key, in order; read fully first (it holds seconds of changes). */
function journalBySk(
  bytes: Uint8Array | null | undefined,
  framed: { frames: JournalFrames; values: BatchValues } | null,
  journalName: string,
): {
  bySk: Map<string, JournalRecord[]>;
  count: number;
  tail: TornTail | null;
} {
  const bySk = new Map<string, JournalRecord[]>();
  let count = 0;
  if (!bytes || !framed) return { bySk, count, tail: null };
  for (const record of journalRecords(bytes, framed.frames, journalName, framed.values)) {
    const sk = record.value.sk as string;
    const list = bySk.get(sk);
    if (list) list.push(record);
    else bySk.set(sk, [record]);
    count++;
  }
  return { bySk, count, tail: framed.frames.tail };
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
  // Where every journal record and every item sits (no value parsed yet). The values' rewriting
  // starts as each file is framed, on a helper thread where there is one: the journal's first, so
  // it is ready when the journal is read, then the file's while the journal is read.
  let journal: { frames: JournalFrames; values: BatchValues } | null = null;
  let values: BatchValues | null = null;
  try {
    if (files.journal && files.journal.length > 0) {
      const frames = frameJournal(files.journal, journalName);
      journal = { frames, values: startJournalValues(files.journal, frames) };
    }
    const frames = db ? frameDatabase(db, dbName) : null;
    values = frames ? startValues(db!, frames) : null;
    yield* replayFramed(files, { dbName, journalName, byteOrder, frames, values, journal }, info);
  } finally {
    // However the reading ends (done, stopped early, or failed), the helper leaves the rest.
    values?.finish();
    journal?.values.finish();
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
    journal: { frames: JournalFrames; values: BatchValues } | null;
  },
  info?: Partial<ReplayInfo>,
): Generator<DeviceItem[]> {
  const { dbName, journalName, byteOrder, frames, values } = read;
  const db = files.db;
  const { bySk, count, tail } = journalBySk(files.journal, read.journal, journalName);
  read.journal?.values.finish();
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
      info.sharedBatches = (values?.helped ?? 0) + (read.journal?.values.helped ?? 0);
    }
    return;
  }
  // Where the journal meets the file: which items it touches and where the items it creates go.
  // In a healthy file (ASCII keys in strictly ascending order, as the agent saves them) the
  // journal's keys, sorted, are merged with the items as they come; otherwise every key is decoded
  // and looked up first (the same result, more work).
  const merge = frames?.ordered ? [...bySk.keys()].sort(compareCodePoints) : null;
  const lookup = merge ? null : placeByLookup(frames ? decodeFrameKeys(db!, frames, dbName) : [], bySk);
  const created = lookup?.created ?? [];
  let ji = 0;
  let ci = 0;
  let k = 0;
  for (const batch of batches) {
    const out: DeviceItem[] = [];
    for (const item of batch) {
      let records: JournalRecord[] | undefined;
      if (merge) {
        // The file's keys are ASCII, so the native comparison agrees with the code-point sort.
        const sk = item.sk;
        while (ji < merge.length && merge[ji]! < sk) {
          const made = replayOne(undefined, bySk.get(merge[ji++]!));
          if (made) out.push(made);
        }
        if (ji < merge.length && merge[ji] === sk) records = bySk.get(merge[ji++]!);
      } else {
        while (ci < created.length && created[ci]!.before <= k) {
          const made = replayOne(undefined, created[ci++]!.records);
          if (made) out.push(made);
        }
        records = bySk.get(item.sk);
        k++;
      }
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
    info.sharedBatches = (values?.helped ?? 0) + (read.journal?.values.helped ?? 0);
  }
  const rest: DeviceItem[] = [];
  const after = merge ? merge.slice(ji).map((sk) => bySk.get(sk)!) : created.slice(ci).map((c) => c.records);
  for (const records of after) {
    const made = replayOne(undefined, records);
    if (made) rest.push(made);
  }
  if (rest.length > 0) yield rest;
}

/** (Lookup path) journal keys that are not in the file, in order, each with the index of the first item after it. */
type Created = Array<{ sk: string; before: number; records: JournalRecord[] }>;

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

function placeByLookup(sks: string[], bySk: Map<string, JournalRecord[]>): { created: Created } {
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
  return { created };
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
