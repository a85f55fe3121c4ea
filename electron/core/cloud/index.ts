import type { CloudFailure, CloudStatusReport } from '../../shared/contract';
import type { Clock } from '../clock';
import type { EventBus } from '../eventBus';
import type { Secrets } from '../secrets';
import type { Store } from '../store';
import type { DeviceFile } from '../transport/types';
import { createCloudClient, DEFAULT_TIMEOUT_MS, type CloudClient } from './client';
import {
  enqueueRegistration,
  outboxCounts,
  retryRegistrations,
  type OutboxState,
  type RegistrationInput,
} from './outbox';
import { provisionFile } from './provision';
import { createOutboxSender, DEFAULT_CONCURRENCY, type OutboxSender, type SenderOptions } from './sender';

export { DEFAULT_BUILDER_URL } from './client';
export { buildRegistration, type ProfileCloud, type RegistrationInput } from './outbox';

export interface CloudOptions {
  concurrency?: number;
  timeoutMs?: number;
  backoff?: SenderOptions['backoff'];
  pollMs?: number;
  /** Start sending when created (the Electron window and browser mode); the CLI sends only on `cloud push`. */
  autoStart?: boolean;
}

/** The station's cloud side: the outbox, its sender, and what the screens and CLI ask of them. */
export interface Cloud {
  readonly sender: OutboxSender;
  readonly client: CloudClient;
  readonly concurrency: number;
  /** Queue a verified unit's registration (the station run calls this; idempotent per unit). */
  enqueue(input: RegistrationInput): boolean;
  /**
   * Queues (idempotently) and sends a unit's registration now, for a pre-claimed unit whose
   * provision.json5 is written with its other files. Resolves with the outbox state after; a
   * builder that cannot be reached leaves it `pending` (queued, sent again later).
   */
  registerNow(input: RegistrationInput): Promise<OutboxState | null>;
  status(): CloudStatusReport;
  pause(): void;
  resume(): void;
  retry(claimIds?: string[]): number;
  /** The unit's provision.json5 when the cloud answered "claimed", else null. */
  provisionFileFor(claimId: string): DeviceFile | null;
  close(): Promise<void>;
  /** Synchronous close, before the store closes. */
  halt(): void;
}

const SETTINGS_KEY = 'cloud.sender';

export function createCloud(deps: {
  store: Store;
  secrets: Secrets;
  clock: Clock;
  events: EventBus;
  options?: CloudOptions;
}): Cloud {
  const { store, secrets, clock, events } = deps;
  const options = deps.options ?? {};
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = createCloudClient({ timeoutMs, maxSockets: concurrency });

  let emitTimer: NodeJS.Timeout | null = null;
  const emitChange = () => {
    if (emitTimer) return;
    emitTimer = setTimeout(() => {
      emitTimer = null;
      events.emit('cloudChanged', { counts: outboxCounts(store), running: sender.isRunning() });
    }, 200);
  };

  const sender = createOutboxSender({
    store,
    secrets,
    client,
    clock,
    timeoutMs,
    concurrency,
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    onChange: emitChange,
  });
  const paused = () => store.settings.get<{ paused: boolean }>(SETTINGS_KEY, { paused: false }).paused;
  if (options.autoStart && !paused()) sender.start();

  const failures = store.db.prepare(
    `SELECT * FROM cloud_outbox WHERE state = 'rejected' OR (state = 'pending' AND last_error IS NOT NULL)
     ORDER BY updated_at DESC, claim_id LIMIT 50`,
  );
  const orders = store.db
    .prepare('SELECT DISTINCT order_id FROM cloud_outbox WHERE order_id IS NOT NULL ORDER BY order_id')
    .pluck();
  const provisionRef = store.db
    .prepare("SELECT provision_ref FROM cloud_outbox WHERE claim_id = ? AND state = 'claimed'")
    .pluck();

  return {
    sender,
    client,
    concurrency,
    enqueue(input) {
      const added = enqueueRegistration({ store, secrets, clock }, input);
      if (added) {
        // After the caller's transaction: a row it rolls back must not be claimed and sent.
        setImmediate(() => sender.wake());
        emitChange();
      }
      return added;
    },
    async registerNow(input) {
      const state = store.db
        .prepare('SELECT state FROM cloud_outbox WHERE claim_id = ?')
        .pluck()
        .get(input.claimId) as OutboxState | undefined;
      if (state === 'claimed' || state === 'registered' || state === 'rejected') return state;
      if (!state) this.enqueue(input);
      return sender.sendNow(input.claimId);
    },
    status() {
      return {
        running: sender.isRunning(),
        inFlight: sender.inFlight(),
        concurrency,
        counts: outboxCounts(store),
        ratePerMinute: sender.ratePerMinute(),
        failures: (failures.all() as Record<string, unknown>[]).map((r): CloudFailure => ({
          claimId: r.claim_id as string,
          orderId: r.order_id as string | null,
          kind: r.state === 'rejected' ? 'rejected' : 'waiting',
          status: r.last_status as number | null,
          reason: (r.last_error as string | null) ?? '',
          attempts: r.attempts as number,
          nextAttemptAt: r.state === 'pending' ? (r.next_attempt_at as string) : null,
          updatedAt: r.updated_at as string,
        })),
        orders: orders.all() as string[],
      };
    },
    pause() {
      store.settings.set(SETTINGS_KEY, { paused: true });
      sender.pause();
      emitChange();
    },
    resume() {
      store.settings.set(SETTINGS_KEY, { paused: false });
      sender.start();
      emitChange();
    },
    retry(claimIds) {
      const n = retryRegistrations(store, clock, claimIds);
      sender.wake();
      emitChange();
      return n;
    },
    provisionFileFor(claimId) {
      const ref = provisionRef.get(claimId) as string | null | undefined;
      if (!ref) return null;
      return provisionFile(claimId, JSON.parse(secrets.reveal(ref)) as Record<string, unknown>);
    },
    async close() {
      if (emitTimer) clearTimeout(emitTimer);
      await sender.stop();
      client.close();
    },
    halt() {
      if (emitTimer) clearTimeout(emitTimer);
      sender.halt();
      client.close();
    },
  };
}
