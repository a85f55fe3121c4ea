/**
 * The device's database as the agent sees it after start-up: `device.db` with its journal replayed
 * on top, streamed in sort-key order so the first rows are ready long before the last.
 */
import {
  applyJournalRecord,
  detectByteOrder,
  readDatabase,
  readDatabaseKeys,
  readJournal,
  type ByteOrder,
  type DeviceItem,
  type JournalRecord,
} from './format';

export interface DeviceDatabaseFiles {
  db: Uint8Array;
  /** The journal, when one was copied along. */
  journal?: Uint8Array | null;
  /** Names used in error messages. */
  dbName?: string;
  journalName?: string;
}

export interface ReplayInfo {
  byteOrder: ByteOrder;
  journalRecords: number;
}

/** Journal records grouped by sort key, in order; read fully first (it holds seconds of changes). */
function journalBySk(files: DeviceDatabaseFiles): { bySk: Map<string, JournalRecord[]>; count: number } {
  const bySk = new Map<string, JournalRecord[]>();
  let count = 0;
  if (!files.journal || files.journal.length === 0) return { bySk, count };
  for (const record of readJournal(files.journal, files.journalName)) {
    const sk = record.value.sk as string;
    const list = bySk.get(sk);
    if (list) list.push(record);
    else bySk.set(sk, [record]);
    count++;
  }
  return { bySk, count };
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
 * sort-key order. `info` is filled before the first item is yielded.
 */
export function* replayDeviceDatabase(
  files: DeviceDatabaseFiles,
  info?: Partial<ReplayInfo>,
): Generator<DeviceItem> {
  const dbName = files.dbName ?? 'device.db';
  const byteOrder = detectByteOrder(files.db, dbName);
  const { bySk, count } = journalBySk(files);
  if (info) {
    info.byteOrder = byteOrder;
    info.journalRecords = count;
  }
  // Which journal keys the file already holds (a key-only pass, no value parsing).
  const inFile = new Set<string>();
  if (bySk.size > 0) for (const sk of readDatabaseKeys(files.db, dbName)) if (bySk.has(sk)) inFile.add(sk);
  const created = [...bySk.keys()].filter((sk) => !inFile.has(sk)).sort();
  let ci = 0;
  for (const item of readDatabase(files.db, dbName)) {
    while (ci < created.length && created[ci]! < item.sk) {
      const made = replayOne(undefined, bySk.get(created[ci++]!));
      if (made) yield made;
    }
    const replayed = replayOne(item, bySk.get(item.sk));
    if (replayed) yield replayed;
  }
  while (ci < created.length) {
    const made = replayOne(undefined, bySk.get(created[ci++]!));
    if (made) yield made;
  }
}

/** The whole database after replay. */
export function loadDeviceDatabase(files: DeviceDatabaseFiles): ReplayInfo & { items: DeviceItem[] } {
  const info: Partial<ReplayInfo> = {};
  const items = [...replayDeviceDatabase(files, info)];
  return { byteOrder: info.byteOrder!, journalRecords: info.journalRecords ?? 0, items };
}
