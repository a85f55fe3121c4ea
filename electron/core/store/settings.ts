import type Database from 'better-sqlite3';

/** Station settings as JSON values under string keys. */
export interface SettingsRepo {
  get<T>(key: string, fallback: T): T;
  set(key: string, value: unknown): void;
}

export function createSettingsRepo(db: Database.Database): SettingsRepo {
  const read = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
  const write = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  return {
    get<T>(key: string, fallback: T): T {
      const raw = read.get(key) as string | undefined;
      return raw === undefined ? fallback : (JSON.parse(raw) as T);
    },
    set(key, value) {
      write.run(key, JSON.stringify(value));
    },
  };
}
