import type { EventName, LinesideEvents } from '../shared/contract';

export type EventListener = <E extends EventName>(event: E, payload: LinesideEvents[E]) => void;

export interface EventBus {
  emit<E extends EventName>(event: E, payload: LinesideEvents[E]): void;
  /** Every event, for transports that forward them all. Returns an unsubscribe function. */
  subscribe(listener: EventListener): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      for (const listener of [...listeners]) {
        try {
          listener(event, payload);
        } catch (error) {
          console.error('[lineside] event listener failed:', error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
