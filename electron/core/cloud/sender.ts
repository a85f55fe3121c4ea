import { setMaxListeners } from 'node:events';
import type { Clock } from '../clock';
import { isFailure } from '../failure';
import type { Secrets } from '../secrets';
import type { Store } from '../store';
import { backoffMs, type CloudClient, type RegisterOutcome } from './client';
import type { OutboxRow, OutboxState } from './outbox';
import { renderProvision } from './provision';

/**
 * Drains the outbox: at most `concurrency` registrations in flight, each claimed in the store
 * (state `sending`, owner pid, lease) before its request leaves, and answered in the store after.
 * A row is sent again only when it is "in doubt": its sender died (SIGKILL, power cut) or its lease
 * ran out between claiming and recording the answer. The builder contract allows registering a
 * unit again (the agent itself repeats the call), so that re-send is harmless; see README.
 */
export interface SenderOptions {
  store: Store;
  secrets: Secrets;
  client: CloudClient;
  clock: Clock;
  /** The client's per-call timeout: the lease is this plus a margin. */
  timeoutMs: number;
  concurrency?: number;
  backoff?: { baseMs: number; maxMs: number };
  random?: () => number;
  pid?: number;
  isAlive?: (pid: number) => boolean;
  /** How often an idle sender looks for new or newly due rows. */
  pollMs?: number;
  /** How long answers gather before they are written together (default 20 ms). */
  flushMs?: number;
  /** Called after answers were recorded (throttle it yourself). */
  onChange?: () => void;
}

export interface OutboxSender {
  start(): void;
  /** Stops claiming new rows; registrations in flight finish and are recorded. */
  pause(): void;
  isRunning(): boolean;
  inFlight(): number;
  /** Look for work now (after an enqueue). */
  wake(): void;
  /**
   * Sends this unit's registration now, whatever its backoff (a pre-claimed unit at the station
   * needs the answer before its files are written), and records the answer like any other. Returns
   * the row's state after: `claimed`, `registered`, `rejected`, or `pending` (not reachable now:
   * it stays queued with its backoff). A row another sender holds is waited for, not sent twice.
   */
  sendNow(claimId: string): Promise<OutboxState | null>;
  /** Units answered (registered, claimed or rejected) in the last minute. */
  ratePerMinute(): number;
  /** How many times the sender has looked for work: tests wait for a look instead of sleeping. */
  passes(): number;
  /** Resolves when no pending or sending row is left (rejected ones are final) or the signal aborts. */
  drained(signal?: AbortSignal): Promise<void>;
  /** Pauses, aborts what is in flight (those rows become pending again) and waits for it. */
  stop(): Promise<void>;
  /** For closing the store now: aborts, and puts this sender's rows in flight back to pending. */
  halt(): void;
}

type Answer = RegisterOutcome | { kind: 'aborted' };

export const DEFAULT_CONCURRENCY = 64;
export const DEFAULT_BACKOFF = { baseMs: 2_000, maxMs: 5 * 60_000 };

export function defaultIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function createOutboxSender(options: SenderOptions): OutboxSender {
  const { store, secrets, client, clock } = options;
  const db = store.db;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const random = options.random ?? Math.random;
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? defaultIsAlive;
  const pollMs = options.pollMs ?? 1000;
  const flushMs = options.flushMs ?? 20;
  const leaseMs = options.timeoutMs + 5_000;

  let running = false;
  let inflight = 0;
  let abort = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let looks = 0;
  let flushTimer: NodeJS.Timeout | null = null;
  let halted = false;
  const answers: { row: OutboxRow; answer: Answer }[] = [];
  const ready: OutboxRow[] = [];
  /** Rows whose request is out now. */
  const sending = new Set<OutboxRow>();
  const answeredAt: number[] = [];
  const waiters = new Set<() => void>();

  const selectDue = db.prepare(
    `SELECT claim_id FROM cloud_outbox WHERE state = 'pending' AND next_attempt_at <= ?
     ORDER BY next_attempt_at, claim_id LIMIT ?`,
  );
  const markSending = db.prepare(
    `UPDATE cloud_outbox SET state = 'sending', attempts = attempts + 1, owner_pid = ?, lease_until = ?,
       updated_at = ? WHERE claim_id = ? AND state = 'pending' RETURNING *`,
  );
  const sendingRows = db.prepare(
    "SELECT claim_id, order_id, owner_pid, lease_until FROM cloud_outbox WHERE state = 'sending'",
  );
  const backToPending = db.prepare(
    `UPDATE cloud_outbox SET state = 'pending', next_attempt_at = ?, owner_pid = NULL, lease_until = NULL,
       updated_at = ?, last_status = coalesce(?, last_status), last_error = coalesce(?, last_error)
     WHERE claim_id = ? AND state = 'sending'`,
  );
  const finalize = db.prepare(
    `UPDATE cloud_outbox SET state = ?, owner_pid = NULL, lease_until = NULL, last_status = ?, last_error = ?,
       provision_ref = ?, answered_at = ?, updated_at = ? WHERE claim_id = ? AND state = 'sending' AND owner_pid = ?`,
  );
  const unclaim = db.prepare(
    `UPDATE cloud_outbox SET state = 'pending', attempts = attempts - 1, owner_pid = NULL, lease_until = NULL,
       updated_at = ? WHERE claim_id = ? AND state = 'sending' AND owner_pid = ?`,
  );
  const stateOf = db.prepare('SELECT state FROM cloud_outbox WHERE claim_id = ?').pluck();
  const nextDue = db.prepare("SELECT min(next_attempt_at) FROM cloud_outbox WHERE state = 'pending'").pluck();
  const unfinished = db
    .prepare("SELECT count(*) FROM cloud_outbox WHERE state IN ('pending', 'sending')")
    .pluck();

  /** Rows whose sender is gone (other pid dead, or lease over): pending again, and recorded. */
  function recoverInDoubt() {
    const now = clock.now().toISOString();
    const rows = sendingRows.all() as Pick<
      OutboxRow,
      'claim_id' | 'order_id' | 'owner_pid' | 'lease_until'
    >[];
    const held = new Set([...ready, ...answers.map((a) => a.row), ...sending].map((r) => r.claim_id));
    const leaseOver = (r: { lease_until: string | null }) => r.lease_until === null || r.lease_until < now;
    const doubtful = rows.filter((r) =>
      r.owner_pid === pid
        ? // Our pid but not ours (a dead process whose pid we inherited): once its lease is over.
          !held.has(r.claim_id) && leaseOver(r)
        : r.owner_pid === null || !isAlive(r.owner_pid) || leaseOver(r),
    );
    if (doubtful.length === 0) return;
    store.transaction(() => {
      for (const r of doubtful) {
        if (backToPending.run(now, now, null, null, r.claim_id).changes > 0) {
          store.events.append({
            kind: 'cloud.in-doubt',
            claimId: r.claim_id,
            orderId: r.order_id,
            data: {
              previousSender: r.owner_pid,
              note: 'sender stopped before recording the answer; sending again',
            },
          });
        }
      }
    });
  }

  /** Marks up to `room` due rows as ours (nested in the caller's transaction when there is one). */
  function claim(room: number, now: Date): OutboxRow[] {
    const iso = now.toISOString();
    const lease = new Date(now.getTime() + leaseMs).toISOString();
    return store.transaction(() => {
      const ids = selectDue.pluck().all(iso, room) as string[];
      const rows: OutboxRow[] = [];
      for (const id of ids) {
        const row = markSending.get(pid, lease, iso, id) as OutboxRow | undefined;
        if (row) rows.push(row);
      }
      return rows;
    });
  }

  async function send(row: OutboxRow): Promise<Answer> {
    try {
      const product = secrets.reveal(row.product_ref);
      return await client.register({
        builderUrl: row.builder_url,
        product,
        body: JSON.parse(row.body) as Record<string, unknown>,
        signal: abort.signal,
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') return { kind: 'aborted' };
      if (isFailure(error)) return { kind: 'rejected', status: 0, reason: error.message };
      return { kind: 'transient', status: null, reason: `Sending failed: ${String(error)}` };
    }
  }

  function record(row: OutboxRow, answer: Answer, now: Date) {
    const iso = now.toISOString();
    const ids = { claimId: row.claim_id, orderId: row.order_id };
    if (answer.kind === 'aborted') {
      backToPending.run(iso, iso, null, null, row.claim_id);
      return;
    }
    if (answer.kind === 'transient') {
      const at = new Date(now.getTime() + backoffMs(row.attempts, backoff, random)).toISOString();
      backToPending.run(at, iso, answer.status, answer.reason, row.claim_id);
      if (row.attempts === 1)
        store.events.append({
          kind: 'cloud.deferred',
          ...ids,
          data: { reason: answer.reason, nextAttemptAt: at },
        });
      return;
    }
    if (answer.kind === 'claimed') {
      try {
        renderProvision(row.claim_id, answer.provision);
      } catch (error) {
        const reason = (error as Error).message;
        finalize.run('rejected', answer.status, reason, null, iso, iso, row.claim_id, pid);
        store.events.append({ kind: 'cloud.rejected', ...ids, data: { status: answer.status, reason } });
        return;
      }
      const ref = secrets.put(`provision:${row.claim_id}`, JSON.stringify(answer.provision)).ref;
      finalize.run('claimed', answer.status, null, ref, iso, iso, row.claim_id, pid);
      const { accountId, cloud, cloudName } = answer.provision;
      store.events.append({ kind: 'cloud.claimed', ...ids, data: { accountId, cloud, cloudName } });
      return;
    }
    if (answer.kind === 'registered') {
      finalize.run('registered', answer.status, null, null, iso, iso, row.claim_id, pid);
      store.events.append({ kind: 'cloud.registered', ...ids, data: { status: answer.status } });
      return;
    }
    finalize.run('rejected', answer.status, answer.reason, null, iso, iso, row.claim_id, pid);
    store.events.append({
      kind: 'cloud.rejected',
      ...ids,
      data: { status: answer.status, reason: answer.reason },
    });
  }

  /** Starts requests from the claimed rows while there is room. */
  function launch() {
    while (running && inflight < concurrency && ready.length > 0) {
      const row = ready.shift()!;
      inflight++;
      sending.add(row);
      void send(row).then((answer) => {
        inflight--;
        sending.delete(row);
        answers.push({ row, answer });
        // Answers are recorded in batches (with the next claims, in one transaction): one fsync
        // for many units. A crash before the batch is written leaves those rows in doubt.
        flushTimer ??= setTimeout(flush, flushMs);
        launch();
      });
    }
  }

  /** Claimed rows waiting for a request slot; kept one batch ahead so sending never waits for a write. */
  function topUp(now: Date) {
    const room = running ? 2 * concurrency - ready.length : 0;
    if (room > 0) ready.push(...claim(room, now));
  }

  function flush() {
    flushTimer = null;
    if (halted) return;
    const batch = answers.splice(0);
    const now = clock.now();
    store.transaction(() => {
      for (const { row, answer } of batch) record(row, answer, now);
      topUp(now);
    });
    const t = Date.now();
    for (const { answer } of batch)
      if (answer.kind !== 'transient' && answer.kind !== 'aborted') answeredAt.push(t);
    launch();
    if (batch.length > 0) options.onChange?.();
    idle();
  }

  /** Looks for work now; when there is none, looks again after a while. */
  function pump() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (running) {
      topUp(clock.now());
      launch();
      looks += 1;
    }
    idle();
  }

  function busy() {
    return inflight > 0 || ready.length > 0 || answers.length > 0;
  }

  function idle() {
    notify();
    if (!running || busy() || timer) return;
    const due = nextDue.get() as string | null;
    const wait = due ? Math.max(10, Math.min(pollMs, Date.parse(due) - clock.now().getTime())) : pollMs;
    timer = setTimeout(() => {
      timer = null;
      recoverInDoubt();
      pump();
    }, wait);
  }

  /** Claimed but never sent: back to pending, as if never claimed. */
  function release() {
    const rows = ready.splice(0);
    if (rows.length === 0 || !db.open) return;
    store.transaction(() => {
      for (const r of rows) unclaim.run(clock.now().toISOString(), r.claim_id, pid);
    });
  }

  function notify() {
    for (const w of [...waiters]) w();
  }

  return {
    start() {
      if (running || halted) return;
      running = true;
      abort = new AbortController();
      // Every request in flight listens to this one signal.
      setMaxListeners(concurrency + 16, abort.signal);
      recoverInDoubt();
      pump();
    },
    pause() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      release();
      notify();
    },
    isRunning: () => running,
    inFlight: () => inflight,
    passes: () => looks,
    wake() {
      if (running && !busy()) pump();
    },
    async sendNow(claimId) {
      const queued = ready.findIndex((r) => r.claim_id === claimId);
      const now = clock.now();
      const row =
        queued >= 0
          ? ready.splice(queued, 1)[0]!
          : (markSending.get(
              pid,
              new Date(now.getTime() + leaseMs).toISOString(),
              now.toISOString(),
              claimId,
            ) as OutboxRow | undefined);
      if (!row) {
        // In flight (here or in another process) or already answered: wait for its answer.
        const deadline = Date.now() + leaseMs;
        while ((stateOf.get(claimId) as OutboxState | undefined) === 'sending' && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 25));
        return (stateOf.get(claimId) as OutboxState | undefined) ?? null;
      }
      inflight++;
      sending.add(row);
      let answer: Answer;
      try {
        answer = await send(row);
      } finally {
        inflight--;
        sending.delete(row);
      }
      if (halted || !db.open) return null;
      store.transaction(() => record(row, answer, clock.now()));
      if (answer.kind !== 'transient' && answer.kind !== 'aborted') answeredAt.push(Date.now());
      options.onChange?.();
      notify();
      return (stateOf.get(claimId) as OutboxState | undefined) ?? null;
    },
    ratePerMinute() {
      const since = Date.now() - 60_000;
      while (answeredAt.length > 0 && answeredAt[0]! < since) answeredAt.shift();
      return answeredAt.length;
    },
    drained(signal) {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (signal?.aborted || (!busy() && (unfinished.get() as number) === 0)) {
            waiters.delete(check);
            clearInterval(poll);
            resolve();
          }
        };
        // Other processes may add or answer rows too: look now and then, not only on our own events.
        const poll = setInterval(check, 250);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      this.pause();
      abort.abort();
      while ((inflight > 0 || answers.length > 0) && !halted) await new Promise((r) => setTimeout(r, 5));
    },
    halt() {
      this.pause();
      halted = true;
      if (flushTimer) clearTimeout(flushTimer);
      abort.abort();
      answers.length = 0;
      const now = clock.now().toISOString();
      const mine = db
        .prepare("SELECT claim_id, order_id FROM cloud_outbox WHERE state = 'sending' AND owner_pid = ?")
        .all(pid) as { claim_id: string; order_id: string | null }[];
      if (mine.length === 0) return;
      store.transaction(() => {
        for (const r of mine) {
          backToPending.run(now, now, null, null, r.claim_id);
          store.events.append({
            kind: 'cloud.in-doubt',
            claimId: r.claim_id,
            orderId: r.order_id,
            data: { note: 'station closed while registering; sending again' },
          });
        }
      });
    },
  };
}
