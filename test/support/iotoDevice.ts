/**
 * A simulated Ioto device on a broker, speaking the agent's sync topics as ioto-contracts.md §5
 * describes: it sends its own Store changes up on syncToDynamo and resends them until acknowledged
 * (SYNC), asks for changes since its last sync at every connection (syncDown, closed by SYNCDOWN),
 * and at connection sends only its pending changes (its whole Store only with `syncUp`, as the agent
 * does when started with `--sync up` or right after provisioning). A change from its cloud
 * (INSERT/UPSERT/MODIFY/REMOVE) is applied SILENTLY: no echo, no acknowledgement. An incoming item
 * older than its copy is discarded and its own copy synced up as an `update` (the stale-item answer);
 * an old item for a key it does not have is simply created.
 */
import mqtt, { type MqttClient } from 'mqtt';

export interface SimulatedDevice {
  claimId: string;
  /** The device's Store: sk -> item. */
  items: Map<string, Record<string, unknown>>;
  /** Changes not yet acknowledged, by sk. */
  pending: Map<string, { cmd: string; item: Record<string, unknown> }>;
  /** Every message the device received, in order. */
  received: { topic: string; body: unknown }[];
  /** Sets a Store value on the device, as an application on it would. */
  set(key: string, value: unknown): void;
  stop(): Promise<void>;
}

export async function startSimulatedDevice(options: {
  url: string;
  claimId: string;
  /** The Store the device already holds (synced long ago: not sent at connect unless `syncUp`). */
  store?: Record<string, unknown>;
  /** Started with `--sync up` (or just provisioned): sends its whole Store at connect. */
  syncUp?: boolean;
  resendMs?: number;
  tls?: { cert: string; key: string; ca: string };
  now?: () => Date;
}): Promise<SimulatedDevice> {
  const id = options.claimId;
  const now = options.now ?? (() => new Date());
  const up = `$aws/rules/IotoDevice/ioto/service/${id}/db/syncToDynamo`;
  const down = `$aws/rules/IotoDevice/ioto/service/${id}/db/syncDown`;
  const items = new Map<string, Record<string, unknown>>();
  const pending = new Map<string, { cmd: string; item: Record<string, unknown> }>();
  const received: { topic: string; body: unknown }[] = [];
  let lastSync = new Date(0).toISOString();
  let seq = 0;
  const inFlight = new Map<number, string[]>();

  const stamp = () => now().toISOString();
  const change = (cmd: string, item: Record<string, unknown>) => {
    const sk = item.sk as string;
    if (cmd === 'remove') items.delete(sk);
    else items.set(sk, item);
    pending.set(sk, { cmd, item });
  };
  for (const [key, value] of Object.entries(options.store ?? {})) {
    const at = stamp();
    const item = { sk: `s#${key}`, _type: 'Store', key, value, type: typeof value, created: at, updated: at };
    if (options.syncUp) change('create', item);
    else items.set(item.sk, item);
  }

  const client: MqttClient = await mqtt.connectAsync(options.url, {
    clientId: id,
    reconnectPeriod: 500,
    ...(options.tls ?? {}),
  });
  const flush = () => {
    if (pending.size === 0 || !client.connected) return;
    seq += 1;
    const changes = [...pending.entries()].map(([key, c]) => ({ cmd: c.cmd, key, item: c.item }));
    inFlight.set(
      seq,
      changes.map((c) => c.key),
    );
    client.publish(up, JSON.stringify({ seq, changes }), { qos: 1 });
  };
  client.on('message', (topic, buffer) => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(buffer.toString()) as Record<string, unknown>;
    } catch {
      return;
    }
    received.push({ topic, body });
    const verb = topic.slice(`ioto/device/${id}/sync/`.length);
    if (!topic.startsWith(`ioto/device/${id}/sync/`)) return;
    if (verb === 'SYNC') {
      const keys = Array.isArray(body.keys) ? (body.keys as string[]) : [];
      // Drop only what was sent in that message and has not changed since.
      const sent = inFlight.get(body.seq as number) ?? [];
      for (const k of keys) if (sent.includes(k)) pending.delete(k);
      inFlight.delete(body.seq as number);
      if (typeof body.updated === 'string') lastSync = body.updated;
    } else if (verb === 'SYNCDOWN') {
      if (typeof body.updated === 'string') lastSync = body.updated;
    } else if (verb === 'INSERT' || verb === 'UPSERT' || verb === 'MODIFY' || verb === 'REMOVE') {
      const sk = body.sk as string;
      const mine = items.get(sk);
      if (
        mine &&
        typeof mine.updated === 'string' &&
        typeof body.updated === 'string' &&
        body.updated < mine.updated
      ) {
        // Older than its copy: discarded, and its own copy synced up.
        pending.set(sk, { cmd: 'update', item: mine });
        flush();
      } else if (verb === 'REMOVE') items.delete(sk);
      // Applied with the sync "bypass" flag: never synced back, nothing acknowledged.
      else items.set(sk, { ...(mine ?? {}), ...body });
    }
  });
  const onConnect = () => {
    client.publish(down, JSON.stringify({ timestamp: lastSync }), { qos: 1 });
    flush();
  };
  await client.subscribeAsync([`ioto/device/${id}/#`, 'ioto/account/all/#'], { qos: 1 });
  client.on('connect', onConnect);
  onConnect();
  const timer = setInterval(flush, options.resendMs ?? 1000);

  return {
    claimId: id,
    items,
    pending,
    received,
    set(key, value) {
      const sk = `s#${key}`;
      const at = stamp();
      const previous = items.get(sk);
      change(previous ? 'update' : 'create', {
        ...(previous ?? { created: at }),
        sk,
        _type: 'Store',
        key,
        value,
        type: typeof value,
        updated: at,
      });
      flush();
    },
    async stop() {
      clearInterval(timer);
      await client.endAsync(true);
    },
  };
}
