import type { PortListReport, PortsChangedEvent } from '../../shared/contract';

export interface PortWatcher {
  /** Polls once now (also what the timer does); resolves to the change, or null if none. */
  poll(): Promise<PortsChangedEvent | null>;
  stop(): void;
}

const key = (p: { path: string; location: string | null }) => `${p.path}@${p.location ?? ''}`;

/**
 * Plug/unplug by polling and diffing (no native hotplug API is portable): `onChange` gets the new
 * listing with the paths that came and went.
 */
export function createPortWatcher(deps: {
  list: () => Promise<PortListReport>;
  onChange: (event: PortsChangedEvent) => void;
  intervalMs?: number;
}): PortWatcher {
  let previous: Map<string, string> | null = null;
  let running: Promise<PortsChangedEvent | null> | null = null;

  async function pollOnce(): Promise<PortsChangedEvent | null> {
    const { ports } = await deps.list();
    const now = new Map(ports.map((p) => [key(p), p.path]));
    const before = previous;
    previous = now;
    if (!before) return null;
    const added = [...now.keys()].filter((k) => !before.has(k)).map((k) => now.get(k)!);
    const removed = [...before.keys()].filter((k) => !now.has(k)).map((k) => before.get(k)!);
    if (added.length === 0 && removed.length === 0) return null;
    const event = { ports, added, removed };
    deps.onChange(event);
    return event;
  }

  const poll = () => {
    running ??= pollOnce().finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void poll().catch(() => undefined), deps.intervalMs ?? 2000);
  timer.unref();
  return {
    poll,
    stop: () => clearInterval(timer),
  };
}
