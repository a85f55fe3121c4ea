/**
 * Connectivity from the station, step by step so the failing step is named: the broker's port
 * answers; the TLS handshake with the unit's certificate is accepted; an MQTT session opens.
 * The MQTT check uses its own client ID so it never pushes the real unit off the broker.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { ConnectivityCheck, ConnectivityReport } from '../../shared/contract';
import { cancelledFailure } from '../cancel';
import { Failure } from '../failure';

export interface ConnectivityOptions {
  url: string;
  cert?: string;
  key?: string;
  ca?: string;
  timeoutMs: number;
  clientId: string;
  /** Aborts when the page that asked goes away: the step in progress closes its socket at once. */
  signal?: AbortSignal;
}

/** Runs `stop` when `signal` aborts (at once if it has); returns the function that forgets it. */
function whenAborted(signal: AbortSignal | undefined, stop: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    queueMicrotask(stop);
    return () => undefined;
  }
  signal.addEventListener('abort', stop, { once: true });
  return () => signal.removeEventListener('abort', stop);
}

function target(url: string): { host: string; port: number; secure: boolean } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Failure('validation', `${url} is not a broker URL such as mqtts://broker.example.com:8883.`, {
      field: 'url',
    });
  }
  const secure = u.protocol === 'mqtts:' || u.protocol === 'wss:';
  return { host: u.hostname, port: Number(u.port || (secure ? 8883 : 1883)), secure };
}

function timed<T>(run: (done: (value: T) => void) => void): Promise<{ value: T; ms: number }> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) =>
    run((value) => resolve({ value, ms: Number(process.hrtime.bigint() - start) / 1e6 })),
  );
}

async function reachable(
  host: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ConnectivityCheck> {
  const { value, ms } = await timed<string | null>((done) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => finish('no answer'), timeoutMs);
    const forget = whenAborted(signal, () => finish('cancelled'));
    const finish = (error: string | null) => {
      clearTimeout(timer);
      forget();
      socket.destroy();
      done(error);
    };
    socket.once('connect', () => finish(null));
    socket.once('error', (e) => finish(e.message));
  });
  return value === null
    ? { name: 'broker reachable', ok: true, ms, message: `${host}:${port} answers.` }
    : {
        name: 'broker reachable',
        ok: false,
        ms,
        message: `Nothing answers at ${host}:${port}: check the address, the network and the firewall.`,
        detail: value,
      };
}

/** TLS 1.3 servers refuse a client certificate after the client thinks the handshake is done: wait a moment for an alert. */
async function handshake(o: ConnectivityOptions, host: string, port: number): Promise<ConnectivityCheck> {
  const { value, ms } = await timed<{ error: string | null; authorized: boolean; reason: string | null }>(
    (done) => {
      const socket = tls.connect({
        host,
        port,
        servername: net.isIP(host) ? undefined : host,
        cert: o.cert,
        key: o.key,
        ca: o.ca,
        rejectUnauthorized: false,
      });
      let settled = false;
      const forget = whenAborted(o.signal, () => finish('cancelled'));
      const finish = (error: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        forget();
        const authorized = socket.authorized;
        const reason = socket.authorizationError ? String(socket.authorizationError) : null;
        socket.destroy();
        done({ error, authorized, reason });
      };
      const timer = setTimeout(() => finish('no TLS answer'), o.timeoutMs);
      socket.once('secureConnect', () => setTimeout(() => finish(null), 400));
      socket.once('error', (e) => finish(e.message));
      socket.once('end', () => finish('the broker closed the connection'));
    },
  );
  const name = 'TLS handshake with the unit certificate';
  if (value.error)
    return {
      name,
      ok: false,
      ms,
      message: o.cert
        ? "The broker refused the unit's certificate: check that it was issued by the CA the broker trusts and has not expired or been revoked."
        : "The broker wants a client certificate: give the unit's certificate and key.",
      detail: value.error,
    };
  if (o.ca && !value.authorized)
    return {
      name,
      ok: false,
      ms,
      message: "The broker's own certificate is not signed by the given CA: check the CA file.",
      detail: value.reason ?? undefined,
    };
  return { name, ok: true, ms, message: "The broker accepted the unit's certificate." };
}

async function session(o: ConnectivityOptions): Promise<ConnectivityCheck> {
  const { default: mqtt } = await import('mqtt'); // loaded when used: it is slow to load
  const { value, ms } = await timed<string | null>((done) => {
    const client = mqtt.connect(o.url, {
      clientId: o.clientId,
      cert: o.cert,
      key: o.key,
      ca: o.ca,
      reconnectPeriod: 0,
      connectTimeout: o.timeoutMs,
    });
    let settled = false;
    const forget = whenAborted(o.signal, () => finish('cancelled'));
    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      forget();
      client.end(true);
      done(error);
    };
    const timer = setTimeout(() => finish('no CONNACK'), o.timeoutMs);
    client.once('connect', () => finish(null));
    client.once('error', (e) => finish(e.message));
  });
  return value === null
    ? { name: 'MQTT session accepted', ok: true, ms, message: 'The broker opened an MQTT session.' }
    : {
        name: 'MQTT session accepted',
        ok: false,
        ms,
        message: 'The broker did not open an MQTT session: check its access rules for this certificate.',
        detail: value,
      };
}

export async function checkConnectivity(o: ConnectivityOptions): Promise<ConnectivityReport> {
  const { host, port, secure } = target(o.url);
  const cancelled = () => {
    if (o.signal?.aborted) throw cancelledFailure();
  };
  const checks: ConnectivityCheck[] = [await reachable(host, port, o.timeoutMs, o.signal)];
  cancelled();
  if (checks[0]!.ok && secure) checks.push(await handshake(o, host, port));
  cancelled();
  if (checks.every((c) => c.ok)) checks.push(await session(o));
  cancelled();
  return { url: o.url, ok: checks.every((c) => c.ok), checks };
}
