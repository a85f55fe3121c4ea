import { createHash, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Clock, RandomBytes } from '../clock';
import { Failure } from '../failure';
import type { Protector } from './protector';

export { createKeyFileProtector, loadOrCreateKey, type Protector } from './protector';

/** What may be shown about a secret: never its value. */
export interface SecretSummary {
  ref: string;
  label: string;
  /** `sha256:` and the first 12 hex digits of the value's hash: tells two tokens apart, reveals neither. */
  fingerprint: string;
  scheme: string;
  createdAt: string;
}

export interface Secrets {
  /** Seals and stores a value; the same label and value again returns the existing ref. */
  put(label: string, value: string): SecretSummary;
  /** The value, for core code that must send it (the cloud client). Never returned to a transport. */
  reveal(ref: string): string;
  summary(ref: string): SecretSummary | null;
  list(prefix?: string): SecretSummary[];
  /** True when `value` is the secret stored under `ref` (constant time). */
  matches(ref: string, value: string): boolean;
}

interface SecretRow {
  ref: string;
  label: string;
  scheme: string;
  ciphertext: Buffer;
  fingerprint: string;
  created_at: string;
}

export function hashSecret(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function shortFingerprint(hash: string): string {
  return `sha256:${hash.slice(0, 12)}`;
}

function toSummary(row: SecretRow): SecretSummary {
  return {
    ref: row.ref,
    label: row.label,
    fingerprint: shortFingerprint(row.fingerprint),
    scheme: row.scheme,
    createdAt: row.created_at,
  };
}

export function createSecrets(deps: {
  db: Database.Database;
  protector: Protector;
  /** Older schemes still readable here (the key file, once Electron's safeStorage took over). */
  alsoReads?: readonly Protector[];
  clock: Clock;
  randomBytes: RandomBytes;
}): Secrets {
  const { db, protector } = deps;
  const readers = new Map([...(deps.alsoReads ?? []), protector].map((p) => [p.scheme, p]));
  const insert = db.prepare(
    'INSERT INTO secrets (ref, label, scheme, ciphertext, fingerprint, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const byRef = db.prepare('SELECT * FROM secrets WHERE ref = ?');
  const byLabelHash = db.prepare('SELECT * FROM secrets WHERE label = ? AND fingerprint = ? AND scheme = ?');
  const byPrefix = db.prepare("SELECT * FROM secrets WHERE ref LIKE ? || '%' ORDER BY created_at, ref");

  function row(ref: string): SecretRow {
    const found = byRef.get(ref) as SecretRow | undefined;
    if (!found)
      throw new Failure('not-found', 'A product token this work needs is not stored on this station.');
    return found;
  }

  return {
    put(label, value) {
      const hash = hashSecret(value);
      const existing = byLabelHash.get(label, hash, protector.scheme) as SecretRow | undefined;
      if (existing) return toSummary(existing);
      const kind = label.split(':')[0] || 'secret';
      const ref = `${kind}_${deps.randomBytes(9).toString('hex')}`;
      const sealed = protector.protect(Buffer.from(value, 'utf8'), ref);
      insert.run(ref, label, protector.scheme, sealed, hash, deps.clock.now().toISOString());
      return toSummary(row(ref));
    },
    reveal(ref) {
      const found = row(ref);
      const reader = readers.get(found.scheme);
      if (!reader) {
        throw new Failure(
          'store-unavailable',
          `The secret "${found.label}" was sealed by ${found.scheme}, which this window cannot open; enter it again here.`,
        );
      }
      return reader.unprotect(found.ciphertext, ref).toString('utf8');
    },
    summary(ref) {
      const found = byRef.get(ref) as SecretRow | undefined;
      return found ? toSummary(found) : null;
    },
    list: (prefix = '') => (byPrefix.all(prefix) as SecretRow[]).map(toSummary),
    matches(ref, value) {
      const found = byRef.get(ref) as SecretRow | undefined;
      if (!found) return false;
      const a = Buffer.from(found.fingerprint, 'hex');
      const b = Buffer.from(hashSecret(value), 'hex');
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}
