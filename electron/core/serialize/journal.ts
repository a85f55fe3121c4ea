import type { SerializeJournalEntry } from '../../shared/contract';
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

/**
 * The request body as journaled: the product token (the builder's bearer credential) is replaced by
 * its fingerprint, everything else kept as the device sent it.
 */
export function redactBody(raw: string): string {
  try {
    const value = JSON.parse(raw) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      if (typeof o.product === 'string') o.product = shortFingerprint(hashSecret(o.product));
      return JSON.stringify(o);
    }
  } catch {
    // not JSON: keep a bounded copy below, without anything that looks like a token
  }
  return raw.slice(0, 2000).replace(/[0-9A-HJKMNP-TV-Z]{26}/g, '[redacted]');
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
