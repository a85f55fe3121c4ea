/** A copied `device.db` (+ `.jnl`): parsed once, read-only (the device is not there to write to). */
import fs from 'node:fs';
import path from 'node:path';
import { MiB, readBoundedFile } from '../boundedRead';
import { Failure } from '../failure';
import type { DeviceItem } from '../devicedb/format';
import { parseDeviceDatabase } from '../devicedb/inWorker';
import type { ReplayInfo } from '../devicedb/replay';
import { isFailure } from '../failure';
import type { ErrorInfo } from '../../shared/contract';
import { countModels, type DeviceStoreSource } from './source';

export interface DatabaseBytes {
  /** Null for a journal-only database (the unit ran less than the journal age). */
  db: Uint8Array | null;
  journal: Uint8Array | null;
  label: string;
}

/** Larger than any device's store: a device.db lives in a flash partition of a few MiB. */
export const MAX_DEVICE_DB_BYTES = 256 * MiB;

function readFile(file: string, what: string): Buffer {
  // Regular files only, bounded: `/dev/zero` or a pipe is refused at once, not read forever.
  return readBoundedFile(file, { what, maxBytes: MAX_DEVICE_DB_BYTES });
}

/**
 * Reads the files from paths. A folder finds `device.db` in it (or in its `db/`); the journal
 * beside the database is taken when present and no journal path was given. A unit that ran less
 * than the journal age has only `device.db.jnl`: that is read as the journal on an empty database.
 */
export function readDatabaseFiles(dbPath: string, journalPath?: string | null): DatabaseBytes {
  let file = dbPath;
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    const candidates = [path.join(file, 'device.db'), path.join(file, 'db', 'device.db')];
    const found =
      candidates.find((c) => fs.existsSync(c)) ?? candidates.find((c) => fs.existsSync(`${c}.jnl`));
    if (!found)
      throw new Failure(
        'not-found',
        `No device.db or device.db.jnl in ${dbPath} (looked in the folder and its db/ folder).`,
      );
    file = found;
  }
  const jnl = journalPath ?? (fs.existsSync(`${file}.jnl`) ? `${file}.jnl` : null);
  const db = fs.existsSync(file) || !jnl ? readFile(file, 'device database') : null;
  return { db, journal: jnl ? readFile(jnl, 'journal') : null, label: file };
}

/** One sentence per thing the technician should know about what the files gave. */
function fileNotices(info: Partial<ReplayInfo>, name: string): string[] {
  const notices: string[] = [];
  if (info.hasDatabase === false)
    notices.push(
      `There is no ${name} yet, only its journal: the unit ran for less than the journal age, so the Store shown is the journal replayed on an empty database.`,
    );
  if (info.dbTail)
    notices.push(
      `${name} ends in an item cut short at byte ${info.dbTail.offset} (${info.dbTail.droppedBytes} bytes dropped), as the agent reads it: every whole item before it is shown.`,
    );
  if (info.journalTail)
    notices.push(
      `${name}.jnl ends in a record cut short at byte ${info.journalTail.offset} (${info.journalTail.droppedBytes} bytes dropped, a torn write after a power cut): every whole record before it was replayed, as the agent does.`,
    );
  return notices;
}

function tornFiles(info: Partial<ReplayInfo>, name: string) {
  return [
    ...(info.dbTail ? [{ file: name, ...info.dbTail }] : []),
    ...(info.journalTail ? [{ file: `${name}.jnl`, ...info.journalTail }] : []),
  ];
}

const FIRST_ROWS = 200;

/**
 * Parses the files into a read-only source, in the device-database worker (the event loop stays
 * free while a large file is read). With `stream`, it resolves once the first rows are in and
 * goes on receiving batches, telling listeners as items arrive; a damaged file found later shows
 * in `describe().error`. Without it, it resolves when all is read (or fails with the offset).
 */
export async function openFileSource(
  files: DatabaseBytes,
  options: { stream?: boolean } = {},
): Promise<DeviceStoreSource> {
  const name = (path.basename(files.label) || 'device.db').replace(/\.jnl$/, '');
  const info: Partial<ReplayInfo> = {};
  const all: DeviceItem[] = [];
  const byModel = new Map<string, DeviceItem[]>();
  const listeners = new Set<(sks: string[]) => void>();
  let complete = false;
  let error: ErrorInfo | null = null;
  let firstRows: (() => void) | null = null;

  const handle = parseDeviceDatabase(
    { db: files.db, journal: files.journal, dbName: name, journalName: `${name}.jnl` },
    {
      onInfo: (i) => Object.assign(info, i),
      onItems: (items) => {
        for (const item of items) {
          all.push(item);
          const list = byModel.get(item.model);
          if (list) list.push(item);
          else byModel.set(item.model, [item]);
        }
        if (all.length >= FIRST_ROWS) firstRows?.();
        for (const l of [...listeners]) l([]);
      },
    },
  );
  const finished = handle.done.then(
    (final) => {
      Object.assign(info, final);
      complete = true;
    },
    (e: unknown) => {
      error ??= isFailure(e) ? e.toInfo() : { code: 'internal', message: String(e) };
      complete = true;
      throw e;
    },
  );
  if (!options.stream) await finished;
  else {
    const first = new Promise<void>((resolve) => (firstRows = resolve));
    // The first rows, or the whole (small) file, or the failure before any row.
    await Promise.race([
      first,
      finished.catch((e: unknown) => (all.length === 0 ? Promise.reject(e) : undefined)),
    ]);
    void finished.then(
      () => {
        for (const l of [...listeners]) l([]);
      },
      () => {
        for (const l of [...listeners]) l([]);
      },
    );
  }

  return {
    describe: () => ({
      kind: 'file',
      label: files.label,
      writable: false,
      byteOrder: info.byteOrder,
      journalRecords: info.journalRecords,
      complete,
      error,
      torn: tornFiles(info, name),
      notices: fileNotices(info, name),
    }),
    listModels: () => Promise.resolve(countModels(all)),
    listItems: (model) => Promise.resolve(byModel.get(model) ?? []),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      handle.cancel();
      error ??= { code: 'cancelled', message: 'Closed.' };
      listeners.clear();
      return Promise.resolve();
    },
  };
}
