import type Database from 'better-sqlite3';
import { Failure } from '../failure';
import type { Migration } from './migrations/types';

/**
 * Applies the migrations not yet applied, all in one IMMEDIATE transaction, and refuses a
 * database that holds a migration this build does not know (written by a newer Lineside).
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], now: () => string): number {
  const known = new Map(migrations.map((m) => [m.id, m]));
  const latest = Math.max(0, ...known.keys());
  if (upToDate(db, known, latest)) return latest;
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const applied = db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all() as number[];
    const unknown = applied.filter((id) => !known.has(id));
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    if (unknown.length > 0 || userVersion > latest) {
      const theirs = Math.max(userVersion, ...unknown);
      throw new Failure(
        'store-too-new',
        `This station database was written by a newer Lineside (schema ${theirs}; this version knows up to ${latest}). ` +
          'Update Lineside on this station, or start it with a different data directory.',
        { detail: `unknown migrations: ${unknown.join(', ') || 'none'}; user_version ${userVersion}` },
      );
    }
    const done = new Set(applied);
    const insert = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
    for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
      if (done.has(m.id)) continue;
      db.exec(m.sql);
      insert.run(m.id, m.name, now());
    }
    db.pragma(`user_version = ${latest}`);
  });
  run.immediate();
  return latest;
}

/**
 * A database this build already migrated (the usual start): user_version is the latest and
 * schema_migrations holds exactly the known ids. Read without a write transaction, so opening
 * the station costs no commit (and no fsync); anything else goes through the full check above.
 */
function upToDate(db: Database.Database, known: ReadonlyMap<number, Migration>, latest: number): boolean {
  if (latest === 0 || (db.pragma('user_version', { simple: true }) as number) !== latest) return false;
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!table) return false;
  const applied = db.prepare('SELECT id FROM schema_migrations').pluck().all() as number[];
  return applied.length === known.size && applied.every((id) => known.has(id));
}
