/**
 * Lineside as the device's cloud on a broker (ioto-contracts.md §5): mirrors the device's Store
 * from its sync-up messages and acknowledges them (SYNC), answers its sync-down request with the
 * items Lineside changed (then SYNCDOWN), and writes values down with UPSERT.
 *
 * The agent applies a change from its cloud silently (no echo, no acknowledgement), and an idle
 * agent sends only its unsynced changes when it connects. The one way to make it report an item now
 * is to send that item with an `updated` older than its copy: it discards it and syncs its own copy
 * up. Lineside uses that to confirm a write and to fetch keys the user names.
 */
import type { IClientOptions, MqttClient } from 'mqtt';
import type { DeviceTrafficEntry } from '../../shared/contract';
import type { Clock } from '../clock';
import type { DeviceItem } from '../devicedb/format';
import { cancelledFailure } from '../cancel';
import { Failure } from '../failure';
import { countModels, type DeviceStoreSource, type DeviceStoreWrite } from './source';

export interface MqttSourceOptions {
  url: string;
  claimId: string;
  cert?: string;
  key?: string;
  ca?: string;
  /** How long to wait for the device's first message (and for a write to come back). */
  timeoutMs: number;
  clock: Clock;
  newId: () => string;
  signal?: AbortSignal;
  /** Store keys to ask the device for right after connecting (it reports each one it has). */
  keys?: string[];
  /** False: do not wait for the device's first message (to write to an idle, connected device). */
  waitForDevice?: boolean;
}

/** The MQTT source can also ask the device for named keys after it is open. */
export interface MqttStoreSource extends DeviceStoreSource {
  askForKeys(keys: string[]): Promise<AskResult>;
}

interface SyncChange {
  cmd: string;
  key: string;
  item?: Record<string, unknown>;
}

const TRAFFIC_KEEP = 500;

/** Older than any real `updated`: the device discards the item and syncs its own copy up (§5). */
export const STALE_UPDATED = '1970-01-01T00:00:00.000Z';

/** What asking the device for named keys gave. */
export interface AskResult {
  answered: string[];
  /** No answer within the wait: the device has no such item, or it is not connected. */
  missing: string[];
}

export function syncTopics(id: string) {
  return {
    syncUp: `$aws/rules/IotoDevice/ioto/service/${id}/db/syncToDynamo`,
    syncDown: `$aws/rules/IotoDevice/ioto/service/${id}/db/syncDown`,
    service: `ioto/service/${id}/#`,
    device: `ioto/device/${id}/#`,
    ack: `ioto/device/${id}/sync/SYNC`,
    syncDownDone: `ioto/device/${id}/sync/SYNCDOWN`,
    change: (verb: 'INSERT' | 'UPSERT' | 'MODIFY' | 'REMOVE') => `ioto/device/${id}/sync/${verb}`,
  };
}

function modelOf(sk: string, item: Record<string, unknown> | undefined): string {
  if (item && typeof item._type === 'string') return item._type;
  if (sk.startsWith('s#')) return 'Store';
  if (sk.startsWith('d#')) return 'Device';
  return 'Unknown';
}

export async function openMqttSource(options: MqttSourceOptions): Promise<MqttStoreSource> {
  const { claimId, clock } = options;
  const topics = syncTopics(claimId);
  const mirror = new Map<string, DeviceItem>();
  /** Items Lineside wrote, sent again to a device that asks for changes since before them. */
  const written = new Map<string, Record<string, unknown>>();
  const traffic: DeviceTrafficEntry[] = [];
  const listeners = new Set<(sks: string[]) => void>();
  const waiters = new Set<() => void>();
  let heard = false;
  /** How many times each sort key arrived in a sync-up, to tell a fresh answer from an old one. */
  const arrivals = new Map<string, number>();
  /** Keys asked for by name, and what came of it, for describe(). */
  const asked = { answered: new Set<string>(), missing: new Set<string>() };

  const log = (direction: 'in' | 'out', topic: string, payload: string) => {
    traffic.push({ at: clock.now().toISOString(), direction, topic, payload: payload.slice(0, 2000) });
    if (traffic.length > TRAFFIC_KEEP) traffic.splice(0, traffic.length - TRAFFIC_KEEP);
  };

  const connectOptions: IClientOptions = {
    clientId: `lineside-${options.newId().slice(0, 12)}`,
    reconnectPeriod: 2000,
    connectTimeout: options.timeoutMs,
    clean: true,
  };
  if (options.cert) connectOptions.cert = options.cert;
  if (options.key) connectOptions.key = options.key;
  if (options.ca) connectOptions.ca = options.ca;
  const { default: mqtt } = await import('mqtt'); // loaded when used: it is slow to load
  const client: MqttClient = mqtt.connect(options.url, connectOptions);

  const publish = (topic: string, body: unknown) => {
    const payload = JSON.stringify(body);
    log('out', topic, payload);
    client.publish(topic, payload, { qos: 1 });
  };

  const changed = (sks: string[]) => {
    for (const l of [...listeners]) l(sks);
    for (const w of [...waiters]) w();
  };

  client.on('message', (topic, buffer) => {
    const text = buffer.toString('utf8');
    log('in', topic, text);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return; // Shown in the live view; nothing to mirror.
    }
    if (topic === topics.syncUp) {
      heard = true;
      const changes = Array.isArray(body.changes) ? (body.changes as SyncChange[]) : [];
      const keys: string[] = [];
      for (const c of changes) {
        if (typeof c?.key !== 'string') continue;
        keys.push(c.key);
        arrivals.set(c.key, (arrivals.get(c.key) ?? 0) + 1);
        if (c.cmd === 'remove') mirror.delete(c.key);
        else if (c.item && typeof c.item === 'object') {
          const previous = mirror.get(c.key)?.fields ?? {};
          const fields = c.cmd === 'update' ? { ...previous, ...c.item } : { ...c.item };
          fields.sk ??= c.key;
          mirror.set(c.key, { sk: c.key, model: modelOf(c.key, fields), fields });
        }
      }
      publish(topics.ack, { seq: body.seq, keys, updated: clock.now().toISOString() });
      changed(keys);
    } else if (topic === topics.syncDown) {
      heard = true;
      const since = typeof body.timestamp === 'string' ? Date.parse(body.timestamp) : NaN;
      for (const item of written.values()) {
        const at = Date.parse(String(item.updated));
        if (Number.isNaN(since) || !(at <= since)) publish(topics.change('UPSERT'), item);
      }
      publish(topics.syncDownDone, { updated: clock.now().toISOString() });
      changed([]);
    } else if (topic.startsWith(`ioto/service/${claimId}/`)) {
      heard = true;
      changed([]);
    }
  });

  /** Ends the client (gracefully when requests it sent should still reach the device) and throws. */
  const fail = async (failure: Failure, flush = false): Promise<never> => {
    if (flush)
      await Promise.race([client.endAsync(false), new Promise((r) => setTimeout(r, 2000))]).catch(
        () => undefined,
      );
    await client.endAsync(true).catch(() => undefined);
    throw failure;
  };

  await new Promise<void>((resolve, reject) => {
    // The page that asked went away: stop waiting for the broker (fail() ends the client).
    const cancel = () => settle(cancelledFailure());
    const settle = (failure?: Failure) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', cancel);
      if (failure) reject(failure);
      else resolve();
    };
    const timer = setTimeout(
      () =>
        settle(
          new Failure(
            'timeout',
            `Could not connect to the broker at ${options.url} within ${options.timeoutMs / 1000} s: check the URL, the broker and the certificates.`,
          ),
        ),
      options.timeoutMs,
    );
    if (options.signal?.aborted) cancel();
    else options.signal?.addEventListener('abort', cancel, { once: true });
    client.once('connect', () => settle());
    client.once('error', (error) =>
      settle(
        new Failure(
          'unavailable',
          `The broker at ${options.url} refused the connection: check the URL, the certificate and the key.`,
          {
            detail: error.message,
            cause: error,
          },
        ),
      ),
    );
  }).catch((failure: Failure) => fail(failure));

  await client
    .subscribeAsync([topics.syncUp, topics.syncDown, topics.service, topics.device], { qos: 1 })
    .catch((error: Error) =>
      fail(
        new Failure('unavailable', `The broker at ${options.url} did not accept Lineside's subscriptions.`, {
          detail: error.message,
          cause: error,
        }),
      ),
    );
  if (options.signal?.aborted) await fail(cancelledFailure());

  const waitFor = (test: () => boolean, ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (test()) return resolve(true);
      if (options.signal?.aborted) return resolve(false);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        waiters.delete(check);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      const check = () => {
        if (test()) done(true);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), ms);
      waiters.add(check);
      options.signal?.addEventListener('abort', onAbort);
    });

  /**
   * Asks the device to report these Store keys now (the stale-item request of §5) and waits for
   * each answer. A key with no answer is removed again with the same stale date: a device that had
   * no such item created an empty one from the request, and one that has it keeps its newer copy.
   */
  const askForKeys = async (keys: string[]): Promise<AskResult> => {
    const sks = [...new Set(keys)].map((k) => `s#${k}`);
    const seen = new Map(sks.map((sk) => [sk, arrivals.get(sk) ?? 0]));
    for (const sk of sks)
      publish(topics.change('UPSERT'), { sk, _type: 'Store', key: sk.slice(2), updated: STALE_UPDATED });
    const answeredNow = (sk: string) => (arrivals.get(sk) ?? 0) > seen.get(sk)!;
    await waitFor(() => sks.every(answeredNow), options.timeoutMs);
    const result: AskResult = { answered: [], missing: [] };
    for (const sk of sks) {
      const key = sk.slice(2);
      if (answeredNow(sk)) {
        result.answered.push(key);
        asked.answered.add(key);
        asked.missing.delete(key);
      } else {
        publish(topics.change('REMOVE'), { sk, _type: 'Store', updated: STALE_UPDATED });
        result.missing.push(key);
        if (!asked.answered.has(key)) asked.missing.add(key);
      }
    }
    return result;
  };

  // Named keys: their answers (or the notice that none came) are the report, so an idle device
  // that is already connected need not reconnect first. Otherwise wait for its first message.
  if (options.keys?.length) {
    // Cancelled while the answers were awaited: the unanswered keys are still withdrawn (as after a
    // timeout), so a device that made empty items from the request drops them; then the client ends
    // once those have gone out.
    await askForKeys(options.keys);
    if (options.signal?.aborted) await fail(cancelledFailure(), true);
  }
  if (
    !options.keys?.length &&
    options.waitForDevice !== false &&
    !(await waitFor(() => heard, options.timeoutMs))
  )
    await fail(
      options.signal?.aborted
        ? cancelledFailure()
        : new Failure(
            'device-timeout',
            `Device ${claimId} sent nothing on ${options.url} within ${Math.round(options.timeoutMs / 1000)} s: check that it is powered, set to use this broker and has claim ID ${claimId}, then restart its agent so it syncs.`,
          ),
    );

  const notices = (): string[] => {
    const stored = [...mirror.values()].filter((i) => i.model === 'Store').length;
    const list: string[] = [
      `The device has sent ${mirror.size} item${mirror.size === 1 ? '' : 's'} (${stored} in its Store) since Lineside connected: an idle agent sends only its unsynced changes when it connects, and its whole Store only when started with --sync up or right after provisioning; known keys can be asked for one by one.`,
    ];
    if (asked.answered.size + asked.missing.size > 0)
      list.push(
        `Asked for ${asked.answered.size + asked.missing.size} key${asked.answered.size + asked.missing.size === 1 ? '' : 's'}: ${asked.answered.size} answered${asked.missing.size ? `; no answer for ${[...asked.missing].join(', ')} (the device has no such item, or it is not connected)` : ''}.`,
      );
    return list;
  };

  return {
    describe: () => ({
      kind: 'mqtt',
      label: `${claimId} @ ${options.url}`,
      writable: true,
      claimId,
      notices: notices(),
    }),
    listModels: () => Promise.resolve(countModels(mirror.values())),
    listItems: (model) => Promise.resolve([...mirror.values()].filter((i) => i.model === model)),
    askForKeys,
    async setItem(write: DeviceStoreWrite) {
      const sk = `s#${write.key}`;
      const now = clock.now().toISOString();
      const previous = mirror.get(sk)?.fields ?? {};
      const item = {
        ...previous,
        sk,
        _type: 'Store',
        key: write.key,
        value: write.value,
        type: write.type,
        created: previous.created ?? now,
        updated: now,
      };
      written.set(sk, item);
      const seen = arrivals.get(sk) ?? 0;
      publish(topics.change('UPSERT'), item);
      // The device applies it silently: ask for the item back (same connection, so after the write).
      publish(topics.change('UPSERT'), { ...item, updated: STALE_UPDATED });
      const expected = JSON.stringify(write.value);
      const back = await waitFor(() => (arrivals.get(sk) ?? 0) > seen, options.timeoutMs);
      if (back && JSON.stringify(mirror.get(sk)?.fields.value) !== expected) {
        written.delete(sk);
        throw new Failure(
          'device-refused',
          `Device ${claimId} kept its own value of ${write.key}: its copy is newer than the station's clock says. Check the clocks of the station and the device, then try again.`,
          { detail: `device updated ${String(mirror.get(sk)?.fields.updated)}, station ${now}` },
        );
      }
      if (!back)
        throw new Failure(
          'device-timeout',
          `Device ${claimId} did not confirm ${write.key} within ${Math.round(options.timeoutMs / 1000)} s: it was sent, and the device gets it when it next connects and syncs down.`,
        );
      return mirror.get(sk)!;
    },
    traffic: () => [...traffic],
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await client.endAsync(true).catch(() => undefined);
    },
  };
}
