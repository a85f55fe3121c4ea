/**
 * A unit's Store over the framed protocol (docs/serial-protocol.md): STORE LIST and STORE GET to
 * read, STORE SET to write, read back with STORE GET before it counts as done. Values travel as
 * UTF-8 JSON text. The session stays open (the port is held) until the source is closed.
 */
import JSON5 from 'json5';
import type { DeviceItem } from '../devicedb/format';
import { Failure } from '../failure';
import type { FramedSession } from '../transport/framed';
import { countModels, type DeviceStoreSource } from './source';

/** JSON text as a value; text that is not JSON is taken as a plain string. */
export function parseStoreValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    try {
      return JSON5.parse(text) as unknown;
    } catch {
      return text;
    }
  }
}

export function valueType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'object' : typeof value;
}

export function storeItemOf(key: string, value: unknown, type = valueType(value)): DeviceItem {
  return { sk: `s#${key}`, model: 'Store', fields: { sk: `s#${key}`, _type: 'Store', key, value, type } };
}

/** Reads the unit's claim ID from config/device.json5, or null when it has none. */
export async function readClaimId(session: Pick<FramedSession, 'readFile'>): Promise<string | null> {
  try {
    const text = (await session.readFile('config/device.json5')).toString('utf8');
    const id = (JSON5.parse(text) as { id?: unknown }).id;
    return typeof id === 'string' && id !== '' ? id : null;
  } catch {
    return null;
  }
}

export async function openFramedStoreSource(options: {
  session: FramedSession;
  label: string;
}): Promise<DeviceStoreSource> {
  const { session } = options;
  let items = new Map<string, DeviceItem>();
  // One request at a time on the link, whoever asks.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  const load = async () => {
    const fresh = new Map<string, DeviceItem>();
    for (const key of await session.storeList()) {
      const text = await session.storeGet(key);
      if (text !== null) fresh.set(key, storeItemOf(key, parseStoreValue(text)));
    }
    items = fresh;
  };

  let claimId: string | null = null;
  try {
    await serial(async () => {
      claimId = await readClaimId(session);
      await load();
    });
  } catch (error) {
    await session.close();
    throw error;
  }
  const listeners = new Set<(sks: string[]) => void>();

  return {
    describe: () => ({
      kind: 'framed',
      label: options.label,
      writable: true,
      ...(claimId ? { claimId } : {}),
    }),
    listModels: () => Promise.resolve(countModels(items.values())),
    listItems: (model) => Promise.resolve(model === 'Store' ? [...items.values()] : []),
    setItem: (write) =>
      serial(async () => {
        const text = JSON.stringify(write.value);
        await session.storeSet(write.key, text);
        const back = await session.storeGet(write.key);
        if (back === null || JSON.stringify(parseStoreValue(back)) !== text)
          throw new Failure(
            'device-refused',
            `The unit did not keep the new value of ${write.key}: it reads back differently.`,
            { detail: `sent ${text.slice(0, 200)}, read back ${String(back).slice(0, 200)}` },
          );
        const item = storeItemOf(write.key, write.value, write.type);
        items.set(write.key, item);
        for (const l of [...listeners]) l([item.sk]);
        return item;
      }),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await queue;
      await session.close();
    },
  };
}
