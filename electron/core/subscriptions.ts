/**
 * Which scoped events each client (a window, a browser page) receives: terminal bytes, slot cards
 * and job progress go only to the clients that asked for that session, port, slot or job, or that
 * opened the session or started the job themselves. Every other event is broadcast. Both
 * transports (Electron IPC per webContents, the bridge per client id) ask `wants` before sending,
 * so they deliver the same events. Released with the client (see clients.ts).
 */
import {
  eventKeys,
  isScopedEvent,
  jobsChannels,
  subscriptionKey,
  type EventName,
  type LinesideEvents,
  type Subscription,
} from '../shared/contract';

export interface Subscriptions {
  /** Counted: two listeners for the same scope need two `unsubscribe`s. */
  subscribe(client: string, sub: Subscription): void;
  unsubscribe(client: string, sub: Subscription): void;
  /** After every successful call: a client owns the terminal it opened and the job it started. */
  track(client: string, operation: string, value: unknown): void;
  /** Whether this client receives this event (clients without an id get broadcast events only). */
  wants<E extends EventName>(client: string | null, event: E, payload: LinesideEvents[E]): boolean;
  /** Forgets everything the client asked for or owned; returns how many keys it held. */
  release(client: string): number;
  /** Keys the client holds (subscriptions and ownerships), for tests and diagnostics. */
  keys(client: string): string[];
}

const JOB_OPERATIONS = new Set(Object.keys(jobsChannels));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The job an operation's result says it started (`{ jobId }` or `{ job: { jobId } }`). */
function startedJob(operation: string, value: unknown): string | null {
  if (JOB_OPERATIONS.has(operation) || !isRecord(value)) return null;
  if (typeof value.jobId === 'string') return value.jobId;
  if (isRecord(value.job) && typeof value.job.jobId === 'string') return value.job.jobId;
  return null;
}

export function createSubscriptions(): Subscriptions {
  /** client → key → count (explicit subscriptions; ownerships count once and stay until release). */
  const byClient = new Map<string, Map<string, number>>();
  const held = (client: string) => {
    let keys = byClient.get(client);
    if (!keys) byClient.set(client, (keys = new Map()));
    return keys;
  };
  const add = (client: string, key: string) => {
    const keys = held(client);
    keys.set(key, (keys.get(key) ?? 0) + 1);
  };

  return {
    subscribe: (client, sub) => add(client, subscriptionKey(sub)),
    unsubscribe(client, sub) {
      const keys = byClient.get(client);
      const key = subscriptionKey(sub);
      const n = keys?.get(key) ?? 0;
      if (n > 1) keys!.set(key, n - 1);
      else keys?.delete(key);
      if (keys?.size === 0) byClient.delete(client);
    },
    track(client, operation, value) {
      if (operation === 'openTerminal' && isRecord(value) && typeof value.sessionId === 'string')
        add(client, subscriptionKey({ event: 'terminalData', scope: { sessionId: value.sessionId } }));
      const job = startedJob(operation, value);
      if (job) add(client, subscriptionKey({ event: 'jobProgress', scope: { jobId: job } }));
    },
    wants(client, event, payload) {
      if (!isScopedEvent(event)) return true;
      if (client === null) return false;
      const keys = byClient.get(client);
      if (!keys) return false;
      return eventKeys(event, payload as never).some((k) => keys.has(k));
    },
    release(client) {
      const n = byClient.get(client)?.size ?? 0;
      byClient.delete(client);
      return n;
    },
    keys: (client) => [...(byClient.get(client)?.keys() ?? [])].sort(),
  };
}
