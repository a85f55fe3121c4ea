/**
 * A test double for the renderer's one door (`window.lineside`), installed before `api` is first
 * imported. Each operation answers from `answers` (or a Failure-shaped error when it has none), and
 * `emit` delivers an event to the listeners the component registered, as the preload would.
 */
import type { LinesideClient } from '../../../electron/shared/contract';

type Listener = (payload: unknown) => void;

export interface FakeApi {
  calls: { operation: string; request: unknown }[];
  answers: Record<string, (request: unknown) => unknown>;
  emit(event: string, payload: unknown): void;
  listeners(event: string): number;
}

export function installFakeApi(): FakeApi {
  const listeners = new Map<string, Set<Listener>>();
  const fake: FakeApi = {
    calls: [],
    answers: {},
    emit(event, payload) {
      for (const l of [...(listeners.get(event) ?? [])]) l(payload);
    },
    listeners: (event) => listeners.get(event)?.size ?? 0,
  };
  const client = new Proxy({} as Record<string, unknown>, {
    get(_target, name: string) {
      if (name === 'on')
        return (event: string, listener: Listener) => {
          const set = listeners.get(event) ?? new Set<Listener>();
          set.add(listener);
          listeners.set(event, set);
          return () => set.delete(listener);
        };
      return async (request: unknown) => {
        fake.calls.push({ operation: name, request });
        const answer = fake.answers[name];
        if (!answer) return { ok: false, error: { code: 'internal', message: `no answer for ${name}` } };
        return { ok: true, value: await answer(request) };
      };
    },
  });
  window.lineside = client as unknown as LinesideClient;
  return fake;
}
