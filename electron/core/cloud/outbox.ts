import type { Clock } from '../clock';
import { Failure } from '../failure';
import type { Secrets } from '../secrets';
import type { Store } from '../store';
import { DEFAULT_BUILDER_URL } from './client';

/**
 * The registration outbox: one row per unit, written in the same transaction as the unit's
 * verification, so the line keeps working when the factory has no internet.
 *
 *   pending ──claim──> sending ──answer──> registered | claimed | rejected
 *      ^                  │ transient: back to pending with next_attempt_at (backoff)
 *      └── in doubt ──────┘ (its sender died or its lease ran out: sent again, see README)
 */
export type OutboxState = 'pending' | 'sending' | 'registered' | 'claimed' | 'rejected';

/** What the station run hands over when a unit verifies. */
export interface RegistrationInput {
  claimId: string;
  orderId: string | null;
  /** The unit's device.json5 content plus `created` (its real manufacture time). */
  body: Record<string, unknown>;
  /** From the profile's `cloud.builder`; the vendor's public builder when absent. */
  builderUrl?: string | null;
  /** The product token's ref in the secrets store (never the token itself). */
  productRef: string;
}

export interface OutboxRow {
  claim_id: string;
  order_id: string | null;
  builder_url: string;
  product_ref: string;
  body: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string;
  owner_pid: number | null;
  lease_until: string | null;
  last_status: number | null;
  last_error: string | null;
  provision_ref: string | null;
  queued_at: string;
  answered_at: string | null;
  updated_at: string;
}

/** What a profile says about the cloud (issue 3's `cloud: { builder?, account?, cloud? }`). */
export interface ProfileCloud {
  builder?: string | null;
  account?: string | null;
  cloud?: string | null;
}

/**
 * The registration for a unit that just verified: its device.json5 as written, plus the profile's
 * account and cloud (a pre-claimed unit) when device.json5 does not carry them, plus `created`.
 */
export function buildRegistration(input: {
  claimId: string;
  orderId: string | null;
  deviceJson: Record<string, unknown>;
  created: Date | string;
  cloud?: ProfileCloud | null;
  productRef: string;
}): RegistrationInput {
  const { account, cloud, builder } = input.cloud ?? {};
  const body: Record<string, unknown> = { ...input.deviceJson };
  if (account && body.account === undefined) body.account = account;
  if (cloud && body.cloud === undefined) body.cloud = cloud;
  body.created = typeof input.created === 'string' ? input.created : input.created.toISOString();
  return {
    claimId: input.claimId,
    orderId: input.orderId,
    body,
    builderUrl: builder ?? null,
    productRef: input.productRef,
  };
}

/**
 * Queues a unit's registration. Call it inside the transaction that marks the unit verified.
 * Idempotent: a unit already queued keeps its row (returns false).
 */
export function enqueueRegistration(
  deps: { store: Store; secrets: Secrets; clock: Clock },
  input: RegistrationInput,
): boolean {
  const { store, secrets, clock } = deps;
  const { product, ...body } = input.body;
  if (body.id !== undefined && body.id !== input.claimId) {
    throw new Failure('validation', `device.json5 names ${String(body.id)}, not unit ${input.claimId}.`, {
      field: 'body.id',
    });
  }
  if (!secrets.summary(input.productRef)) {
    throw new Failure('not-found', 'The product token for this registration is not stored on this station.', {
      field: 'productRef',
    });
  }
  if (product !== undefined && (typeof product !== 'string' || !secrets.matches(input.productRef, product))) {
    throw new Failure(
      'validation',
      "The unit's device.json5 names a different product token than its profile.",
      {
        field: 'body.product',
      },
    );
  }
  const now = clock.now().toISOString();
  const ordered = { id: input.claimId, ...body, created: body.created ?? now };
  const info = store.db
    .prepare(
      `INSERT INTO cloud_outbox (claim_id, order_id, builder_url, product_ref, body, state, next_attempt_at,
         queued_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT(claim_id) DO NOTHING`,
    )
    .run(
      input.claimId,
      input.orderId,
      (input.builderUrl || DEFAULT_BUILDER_URL).replace(/\/+$/, ''),
      input.productRef,
      JSON.stringify(ordered),
      now,
      now,
      now,
    );
  if (info.changes === 0) return false;
  store.events.append({
    kind: 'cloud.queued',
    claimId: input.claimId,
    orderId: input.orderId,
    data: { builder: (input.builderUrl || DEFAULT_BUILDER_URL).replace(/\/+$/, '') },
  });
  return true;
}

export interface OutboxCounts {
  pending: number;
  sending: number;
  registered: number;
  claimed: number;
  rejected: number;
}

export function outboxCounts(store: Store, orderId?: string): OutboxCounts {
  const rows = (
    orderId === undefined
      ? store.db.prepare('SELECT state, count(*) AS n FROM cloud_outbox GROUP BY state').all()
      : store.db
          .prepare('SELECT state, count(*) AS n FROM cloud_outbox WHERE order_id = ? GROUP BY state')
          .all(orderId)
  ) as { state: OutboxState; n: number }[];
  const counts: OutboxCounts = { pending: 0, sending: 0, registered: 0, claimed: 0, rejected: 0 };
  for (const r of rows) counts[r.state] = r.n;
  return counts;
}

/** Puts rejected (or waiting) units back at the front of the queue, e.g. after fixing a token. */
export function retryRegistrations(store: Store, clock: Clock, claimIds?: string[]): number {
  const now = clock.now().toISOString();
  return store.transaction(() => {
    const ids =
      claimIds ??
      (store.db
        .prepare(
          "SELECT claim_id FROM cloud_outbox WHERE state = 'rejected' OR (state = 'pending' AND attempts > 0)",
        )
        .pluck()
        .all() as string[]);
    const update = store.db.prepare(
      `UPDATE cloud_outbox SET state = 'pending', next_attempt_at = ?, updated_at = ?,
         attempts = CASE WHEN state = 'rejected' THEN 0 ELSE attempts END
       WHERE claim_id = ? AND state IN ('rejected', 'pending')`,
    );
    let n = 0;
    for (const id of ids) {
      if (update.run(now, now, id).changes > 0) {
        n++;
        store.events.append({ kind: 'cloud.retry-requested', claimId: id });
      }
    }
    return n;
  });
}
