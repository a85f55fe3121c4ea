/**
 * A test double for the renderer's one door (`window.lineside`), installed before `api` is first
 * imported. It has the real client's shape (built from the channel table by the same
 * `buildNamespacedApi` as the preload and the bridge client): each method answers from
 * `answers['<namespace>.<method>']` (or a Failure-shaped error when it has none), and `emit`
 * delivers an event to the listeners the component registered, honouring their scope as the
 * transports do (a listener without a scope gets every event, as for a job the page started). An
 * answer that throws `fake.failure(code, message)` is the station refusing: the call resolves to
 * `{ ok: false, error }`, as a real transport delivers a Failure.
 */
import {
  buildNamespacedApi,
  channels,
  inScope,
  methodPath,
  parseSubscription,
  type ErrorInfo,
  type EventName,
  type LinesideApi,
  type LinesideClient,
  type LinesideEvents,
  type Subscription,
} from '../../../electron/shared/contract';

/** `'orders.create'`, `'jobs.get'`...: every method of the client API. */
export type ApiPath = {
  [N in keyof LinesideApi]: `${N & string}.${keyof LinesideApi[N] & string}`;
}[keyof LinesideApi];

type Listener = (payload: unknown) => void;

export interface FakeApi {
  calls: { operation: ApiPath; request: unknown }[];
  answers: Partial<Record<ApiPath, (request: unknown) => unknown>>;
  emit<E extends EventName>(event: E, payload: LinesideEvents[E]): void;
  listeners(event: EventName): number;
  /** The scopes the current listeners of an event asked for (undefined: no scope). */
  scopes(event: EventName): (Subscription['scope'] | undefined)[];
  /** What an answer throws to refuse the call with this error. */
  failure(code: ErrorInfo['code'], message: string): FakeFailure;
}

class FakeFailure extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

export function installFakeApi(): FakeApi {
  const listeners = new Map<string, Set<{ listener: Listener; sub: Subscription | null }>>();
  const fake: FakeApi = {
    calls: [],
    answers: {},
    emit(event, payload) {
      for (const l of [...(listeners.get(event) ?? [])])
        if (!l.sub || inScope(l.sub, payload)) l.listener(payload);
    },
    listeners: (event) => listeners.get(event)?.size ?? 0,
    scopes: (event) => [...(listeners.get(event) ?? [])].map((l) => l.sub?.scope),
    failure: (code, message) => new FakeFailure({ code, message }),
  };
  const api = buildNamespacedApi(channels, async (_operation, channel, request) => {
    const path = methodPath(channel).join('.') as ApiPath;
    fake.calls.push({ operation: path, request });
    const answer = fake.answers[path];
    if (!answer) return { ok: false, error: { code: 'internal', message: `no answer for ${path}` } };
    try {
      return { ok: true, value: await answer(request) };
    } catch (e) {
      if (e instanceof FakeFailure) return { ok: false, error: e.info };
      throw e;
    }
  });
  const on = (event: EventName, listener: Listener, scope?: unknown) => {
    let sub: Subscription | null = null;
    if (scope !== undefined) {
      sub = parseSubscription({ event, scope });
      if (!sub) throw new Error(`Unknown scope for ${event}: ${JSON.stringify(scope)}`);
    }
    const entry = { listener, sub };
    const set = listeners.get(event) ?? new Set();
    set.add(entry);
    listeners.set(event, set);
    return () => void set.delete(entry);
  };
  window.lineside = { ...api, on } as unknown as LinesideClient;
  return fake;
}
