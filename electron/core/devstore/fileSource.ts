/** A copied `device.db` (+ `.jnl`): parsed once, read-only (the device is not there to write to). */
import fs from 'node:fs';
import path from 'node:path';
import { Failure } from '../failure';
import type { DeviceItem } from '../devicedb/format';
import { loadDeviceDatabase } from '../devicedb/replay';
import { countModels, type DeviceStoreSource } from './source';

export interface DatabaseBytes {
  db: Uint8Array;
  journal: Uint8Array | null;
  label: string;
}

function readFile(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new Failure(
      'not-found',
      `Cannot read the ${what} ${file}: check the path and that the file was copied.`,
      {
        detail: (error as Error).message,
        cause: error,
      },
    );
  }
}

/**
 * Reads the files from paths. A folder finds `device.db` in it (or in its `db/`); the journal
 * beside the database is taken when present and no journal path was given.
 */
export function readDatabaseFiles(dbPath: string, journalPath?: string | null): DatabaseBytes {
  let file = dbPath;
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    const candidates = [path.join(file, 'device.db'), path.join(file, 'db', 'device.db')];
    const found = candidates.find((c) => fs.existsSync(c));
    if (!found)
      throw new Failure('not-found', `No device.db in ${dbPath} (looked in the folder and its db/ folder).`);
    file = found;
  }
  const db = readFile(file, 'device database');
  const jnl = journalPath ?? (fs.existsSync(`${file}.jnl`) ? `${file}.jnl` : null);
  return { db, journal: jnl ? readFile(jnl, 'journal') : null, label: file };
}

export function createFileSource(files: DatabaseBytes): DeviceStoreSource {
  const loaded = loadDeviceDatabase({
    db: files.db,
    journal: files.journal,
    dbName: path.basename(files.label) || 'device.db',
    journalName: `${path.basename(files.label) || 'device.db'}.jnl`,
  });
  const byModel = new Map<string, DeviceItem[]>();
  for (const item of loaded.items) {
    const list = byModel.get(item.model);
    if (list) list.push(item);
    else byModel.set(item.model, [item]);
  }
  return {
    describe: () => ({
      kind: 'file',
      label: files.label,
      writable: false,
      byteOrder: loaded.byteOrder,
      journalRecords: loaded.journalRecords,
    }),
    listModels: () => Promise.resolve(countModels(loaded.items)),
    listItems: (model) => Promise.resolve(byModel.get(model) ?? []),
    close: () => Promise.resolve(),
  };
}
