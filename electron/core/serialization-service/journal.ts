import JSON5 from 'json5';
import type { SerializeJournalEntry, SerializeRefusalReport } from '../../shared/contract';
import { hashSecret, shortFingerprint } from '../secrets';
import type { Store } from '../store';

interface JournalRow {
  id: number;
  at: string;
  remote: string;
  status: number;
  claim_id: string | null;
  order_id: string | null;
  reason: string | null;
  body: string;
}

export interface NewJournalEntry {
  at: string;
  remote: string;
  status: number;
  claimId: string | null;
  orderId: string | null;
  reason: string | null;
  body: string;
}

/** The most of a request body the journal keeps (a device.json5 is well under 2 KiB). */
export const JOURNAL_BODY_CHARS = 4096;
const MAX_DEPTH = 32;
/** Anything shaped like a product token (a ULID), in any case. */
const TOKEN_LIKE = /[0-9A-HJKMNP-TV-Z]{26}/gi;
const fingerprint = (v: string) => shortFingerprint(hashSecret(v));

/** Every `product` member at any depth (string, array or object) and every token-shaped string. */
function redactValue(value: unknown, depth: number, underProduct: boolean): unknown {
  if (typeof value === 'string') {
    if (underProduct) return fingerprint(value);
    return value.replace(TOKEN_LIKE, (t) => fingerprint(t));
  }
  if (value === null || typeof value !== 'object') return underProduct ? '[redacted]' : value;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, underProduct));
  // Own keys only, `__proto__` and `constructor` included: they are data here, never looked up.
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    const safeKey = key.replace(TOKEN_LIKE, (t) => fingerprint(t));
    out[safeKey] = redactValue(v, depth + 1, underProduct || key.toLowerCase() === 'product');
  }
  return out;
}

/**
 * The request body as journaled: every product token (the builder's bearer credential), wherever
 * it sits, replaced by its fingerprint; the rest as the device sent it, bounded in size.
 */
export function redactBody(raw: string): string {
  let text: string;
  try {
    text = JSON.stringify(redactValue(JSON5.parse(raw), 0, false));
  } catch {
    // not JSON5: a copy without anything that looks like a token
    text = raw.replace(TOKEN_LIKE, '[redacted]');
  }
  return text.length > JOURNAL_BODY_CHARS ? `${text.slice(0, JOURNAL_BODY_CHARS)}… (cut)` : text;
}

function toEntry(r: JournalRow): SerializeJournalEntry {
  return {
    id: r.id,
    at: r.at,
    remote: r.remote,
    status: r.status,
    claimId: r.claim_id,
    orderId: r.order_id,
    reason: r.reason,
    body: r.body,
  };
}

export function appendJournal(store: Store, entry: NewJournalEntry): SerializeJournalEntry {
  const row = store.db
    .prepare(
      `INSERT INTO serialize_journal (at, remote, status, claim_id, order_id, reason, body)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    )
    .get(
      entry.at,
      entry.remote,
      entry.status,
      entry.claimId,
      entry.orderId,
      entry.reason,
      redactBody(entry.body),
    ) as JournalRow;
  return toEntry(row);
}

export function recentJournal(store: Store, limit = 20): SerializeJournalEntry[] {
  return (
    store.db.prepare('SELECT * FROM serialize_journal ORDER BY id DESC LIMIT ?').all(limit) as JournalRow[]
  ).map(toEntry);
}

/** Distinct sources counted per minute before the rest are counted together (bounded rows). */
export const REFUSAL_SOURCES_PER_WINDOW = 100;
const OTHERS = 'others';
const FLUSH_MS = 1000;

export interface Refusal {
  at: string;
  remote: string;
  status: number;
  /** Method, path and reason: never the body. */
  sample: string;
}

export interface RefusalCounter {
  count(refusal: Refusal): void;
  /** Writes what was counted since the last flush (one transaction). */
  flush(): void;
  close(): void;
}

/**
 * Counts refused requests per source, status and minute in memory and writes the sums once a
 * second: a flood costs a few rows and one commit a second, never a row (or an fsync) per request.
 */
export function createRefusalCounter(store: Store): RefusalCounter {
  const pending = new Map<
    string,
    { window: string; remote: string; status: number; n: number; first: string; last: string; sample: string }
  >();
  const sourcesInWindow = new Map<string, Set<string>>();
  let timer: NodeJS.Timeout | null = null;
  const known = store.db
    .prepare('SELECT DISTINCT remote FROM serialize_refusals WHERE window_start = ?')
    .pluck();
  const upsert = store.db.prepare(
    `INSERT INTO serialize_refusals (window_start, remote, status, count, first_at, last_at, sample)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (window_start, remote, status) DO UPDATE SET count = count + excluded.count, last_at = excluded.last_at`,
  );

  function flush() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.size === 0) return;
    const rows = [...pending.values()];
    pending.clear();
    store.transaction(() => {
      for (const r of rows) upsert.run(r.window, r.remote, r.status, r.n, r.first, r.last, r.sample);
    });
  }

  return {
    count(refusal) {
      const window = `${refusal.at.slice(0, 16)}:00.000Z`;
      let sources = sourcesInWindow.get(window);
      if (!sources) {
        // Only the current minute is tracked; earlier ones are done.
        sourcesInWindow.clear();
        sources = new Set(known.all(window) as string[]);
        sourcesInWindow.set(window, sources);
      }
      let remote = refusal.remote;
      if (!sources.has(remote)) {
        if (sources.size >= REFUSAL_SOURCES_PER_WINDOW) remote = OTHERS;
        sources.add(remote);
      }
      const key = `${window}|${remote}|${refusal.status}`;
      const hit = pending.get(key);
      if (hit) {
        hit.n++;
        hit.last = refusal.at;
      } else
        pending.set(key, {
          window,
          remote,
          status: refusal.status,
          n: 1,
          first: refusal.at,
          last: refusal.at,
          sample: refusal.sample.slice(0, 200),
        });
      timer ??= setTimeout(() => {
        try {
          flush();
        } catch (error) {
          console.error('[lineside serialize] writing refusal counts failed:', error);
        }
      }, FLUSH_MS).unref();
    },
    flush,
    close: flush,
  };
}

export function recentRefusals(store: Store, limit = 20): SerializeRefusalReport[] {
  return (
    store.db
      .prepare('SELECT * FROM serialize_refusals ORDER BY last_at DESC, remote LIMIT ?')
      .all(limit) as Array<{
      window_start: string;
      remote: string;
      status: number;
      count: number;
      first_at: string;
      last_at: string;
      sample: string;
    }>
  ).map((r) => ({
    windowStart: r.window_start,
    remote: r.remote,
    status: r.status,
    count: r.count,
    firstAt: r.first_at,
    lastAt: r.last_at,
    sample: r.sample,
  }));
}
