import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../clock';
import { Failure, isFailure } from '../failure';
import { storeFailure } from './errors';
import { createEventLog, type Actor, type EventLog } from './eventLog';
import { migrate } from './migrate';
import { migrations as allMigrations } from './migrations';
import type { Migration } from './migrations/types';
import { createSettingsRepo, type SettingsRepo } from './settings';
import { createUnitRepo, type UnitRepo } from './units';

export interface StoreOptions {
  file: string;
  clock: Clock;
  /** Who is acting, read at every event append. */
  actor: () => Actor;
  /** For tests of migration behaviour; defaults to every migration this build knows. */
  migrations?: readonly Migration[];
}

export interface Store {
  /** The open handle, for core repositories added by later modules. Never leaves core. */
  readonly db: Database.Database;
  readonly file: string;
  readonly schemaVersion: number;
  readonly units: UnitRepo;
  readonly events: EventLog;
  readonly settings: SettingsRepo;
  /** Who is acting now (what events record); a worker writing to the same file asks it once. */
  actor(): Actor;
  /** Runs `fn` in one IMMEDIATE transaction. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** The database and its -wal/-shm files hold the station's records: owner only (0600). */
export function tightenDatabaseFiles(file: string): void {
  if (process.platform === 'win32') return;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((fs.statSync(f).mode & 0o077) !== 0) fs.chmodSync(f, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

export function createStore(options: StoreOptions): Store {
  fs.mkdirSync(path.dirname(options.file), { recursive: true });
  let db: Database.Database;
  try {
    // Created 0600 before SQLite opens it: SQLite gives -wal and -shm the main file's mode.
    fs.closeSync(fs.openSync(options.file, 'a', 0o600));
    tightenDatabaseFiles(options.file);
    db = new Database(options.file, { timeout: 5000 });
  } catch (error) {
    throw new Failure('store-unavailable', `The station database ${options.file} could not be opened.`, {
      detail: String(error),
      cause: error,
    });
  }
  try {
    db.pragma('journal_mode = WAL');
    // FULL: a committed unit survives a power cut, not only a crash. Units are slow; safety wins.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Deleted or replaced content (a sealed secret's plain copy) is zeroed, not left in free pages.
    db.pragma('secure_delete = ON');
    const schemaVersion = migrate(db, options.migrations ?? allMigrations, () =>
      options.clock.now().toISOString(),
    );
    tightenDatabaseFiles(options.file);
    const store: Store = {
      db,
      file: options.file,
      schemaVersion,
      units: createUnitRepo(db),
      events: createEventLog(db, options.clock, options.actor),
      settings: createSettingsRepo(db),
      actor: options.actor,
      transaction: (fn) => db.transaction(fn).immediate(),
      close: () => {
        if (db.open) db.close();
      },
    };
    return store;
  } catch (error) {
    db.close();
    if (isFailure(error)) throw error;
    // Another process holding the lock while this one migrates is "busy", not "damaged".
    const known = storeFailure(error);
    if (known?.code === 'busy') throw known;
    throw new Failure('store-unavailable', `The station database ${options.file} is damaged or unreadable.`, {
      detail: String(error),
      cause: error,
    });
  }
}

export type { Actor, EventLog, UnitRepo, SettingsRepo };
