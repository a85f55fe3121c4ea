/**
 * A stand-in for the Ioto cloud builder over real HTTP (ioto-contracts §4): `POST {api}/device/register`
 * and `POST {api}/tok/device/provision`. A test fixture and a demo (`npm run cloud:standin`): the app
 * never defaults to it. It knows one product token, answers registered or (with account + cloud)
 * claimed, refuses what the real builder refuses, and can be slow, flaky, scripted or down.
 * It counts every register call per claim ID, so tests can prove "registered exactly once".
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';

export const STANDIN_PRODUCT = '01H4R15D3478JD26YDYK408XE6';
export const STANDIN_ACCOUNT = '01J0ACCOUNT0STANDIN0000001';
export const STANDIN_CLOUD = '01J0CLOUD00STANDIN00000001';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  at: number;
}

export interface StandinOptions {
  port?: number;
  products?: string[];
  accounts?: string[];
  latencyMs?: number;
  /** Share of register calls answered 503 at random. */
  failureRate?: number;
  random?: () => number;
  /** Keep every request (off for large benches). Default true. */
  record?: boolean;
}

/** One scripted answer for the next register call: a status, or hold the answer back `hangMs`. */
export type Scripted = { status: number; error?: string } | { hangMs: number };

export interface StandinCloud {
  /** The builder URL a profile would name (`.../api`). */
  url: string;
  port: number;
  product: string;
  requests: RecordedRequest[];
  /** Register calls that reached the handler, per claim ID (failed ones included). */
  calls: Map<string, number>;
  /** Register calls answered 200, per claim ID. */
  registrations: Map<string, number>;
  /** The cloud's device records: one per claim ID, however often it was registered. */
  devices: Map<string, { body: Record<string, unknown>; answer: Record<string, unknown>; firstAt: number }>;
  /** The most register calls it was handling at the same moment. */
  peakConcurrent: number;
  configure(options: Pick<StandinOptions, 'latencyMs' | 'failureRate'>): void;
  script(...answers: Scripted[]): void;
  /** Claim IDs registered (answered 200) more than once. */
  duplicates(): string[];
  stop(): Promise<void>;
  /** Listens again on the same port (after `stop`, for "the internet is back"). */
  start(): Promise<void>;
}

const CLAIM_ID = /^[0-9A-Z]{1,20}$/;

export interface StandinStats {
  devices: number;
  calls: number;
  registrations: number;
  duplicates: string[];
  peakConcurrent: number;
}

/** `GET /_standin/stats`: the counts, for a stand-in running in another process (demo, bench). */
function stats(cloud: StandinCloud): StandinStats {
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  return {
    devices: cloud.devices.size,
    calls: sum(cloud.calls),
    registrations: sum(cloud.registrations),
    duplicates: cloud.duplicates(),
    peakConcurrent: cloud.peakConcurrent,
  };
}

export async function startStandinCloud(options: StandinOptions = {}): Promise<StandinCloud> {
  const products = new Set(options.products ?? [STANDIN_PRODUCT]);
  const accounts = new Set(options.accounts ?? [STANDIN_ACCOUNT]);
  const random = options.random ?? Math.random;
  const record = options.record ?? true;
  let latencyMs = options.latencyMs ?? 0;
  let failureRate = options.failureRate ?? 0;
  const scripted: Scripted[] = [];
  let active = 0;
  const tokens = new Map<string, string>(); // provision token -> claim ID
  let signer: { key: forge.pki.rsa.PrivateKey; pem: string } | null = null;

  const cloud: StandinCloud = {
    url: '',
    port: options.port ?? 0,
    product: [...products][0] ?? STANDIN_PRODUCT,
    requests: [],
    calls: new Map(),
    registrations: new Map(),
    devices: new Map(),
    peakConcurrent: 0,
    configure(o) {
      if (o.latencyMs !== undefined) latencyMs = o.latencyMs;
      if (o.failureRate !== undefined) failureRate = o.failureRate;
    },
    script: (...answers) => void scripted.push(...answers),
    duplicates: () => [...cloud.registrations].filter(([, n]) => n > 1).map(([id]) => id),
    stop: async () => undefined,
    start: async () => undefined,
  };

  const json = (res: ServerResponse, status: number, value: unknown) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function register(req: IncomingMessage, res: ServerResponse, raw: string) {
    const auth = /^bearer (.+)$/i.exec(String(req.headers.authorization ?? ''));
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return json(res, 400, { error: 'Body is not JSON' });
    }
    const id = typeof body.id === 'string' ? body.id : '';
    cloud.calls.set(id, (cloud.calls.get(id) ?? 0) + 1);
    if (latencyMs > 0) await later(latencyMs);
    const next = scripted.shift();
    if (next && 'hangMs' in next) await later(next.hangMs);
    else if (next) return json(res, next.status, { error: next.error ?? `Scripted ${next.status}` });
    if (failureRate > 0 && random() < failureRate) return json(res, 503, { error: 'Service unavailable' });
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
      return json(res, 415, { error: 'Content-Type must be application/json' });
    if (!auth || !products.has(auth[1]!)) return json(res, 401, { error: 'Unknown product token' });
    if (body.product !== auth[1])
      return json(res, 400, { error: 'Body product does not match the bearer token' });
    if (!CLAIM_ID.test(id)) return json(res, 400, { error: 'Bad device id' });
    if (typeof body.created !== 'string' || Number.isNaN(Date.parse(body.created)))
      return json(res, 400, { error: 'Missing created date' });
    let device = cloud.devices.get(id);
    if (!device) {
      let answer: Record<string, unknown> = { registered: true };
      if (body.account !== undefined || body.cloud !== undefined) {
        if (typeof body.account !== 'string' || !accounts.has(body.account))
          return json(res, 400, { error: 'Unknown account' });
        const token = randomBytes(16).toString('hex');
        tokens.set(token, id);
        answer = {
          registered: true,
          id,
          api: cloud.url,
          token,
          accountId: body.account,
          cloud: body.cloud,
          cloudType: 'hosted',
          cloudName: 'Stand-in',
          cloudRegion: 'local-1',
        };
      }
      device = { body, answer, firstAt: Date.now() };
      cloud.devices.set(id, device);
    }
    cloud.registrations.set(id, (cloud.registrations.get(id) ?? 0) + 1);
    return json(res, 200, device.answer);
  }

  function provision(req: IncomingMessage, res: ServerResponse, raw: string) {
    const auth = /^bearer (.+)$/i.exec(String(req.headers.authorization ?? ''));
    const id = auth ? tokens.get(auth[1]!) : undefined;
    let body: { id?: unknown } = {};
    try {
      body = JSON.parse(raw) as { id?: unknown };
    } catch {
      // handled below
    }
    if (!id || body.id !== id) return json(res, 401, { error: 'Unknown device token' });
    signer ??= (() => {
      const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        type: 'pkcs1',
        format: 'pem',
      }) as string;
      return { key: forge.pki.privateKeyFromPem(pem), pem };
    })();
    const keys = forge.pki.rsa.setPublicKey(signer.key.n, signer.key.e);
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys;
    cert.serialNumber = '01' + randomBytes(8).toString('hex');
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
    cert.setSubject([{ name: 'commonName', value: id }]);
    cert.setIssuer([{ name: 'commonName', value: 'Stand-in Cloud CA' }]);
    cert.sign(signer.key, forge.md.sha256.create());
    return json(res, 200, {
      certificate: forge.pki.certificateToPem(cert),
      key: signer.pem,
      // A host name: the agent does not match IP-address SANs (ioto-contracts §5).
      endpoint: 'localhost',
      port: 8883,
    });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      if (record)
        cloud.requests.push({
          method: req.method ?? '',
          path,
          headers: { ...req.headers },
          rawBody: raw,
          at: Date.now(),
        });
      if (req.method === 'GET' && path === '/_standin/stats') return json(res, 200, stats(cloud));
      if (req.method !== 'POST') return json(res, 405, { error: 'Use POST' });
      if (path === '/api/device/register') {
        active++;
        cloud.peakConcurrent = Math.max(cloud.peakConcurrent, active);
        return void register(req, res, raw).finally(() => active--);
      }
      if (path === '/api/tok/device/provision') return provision(req, res, raw);
      return json(res, 404, { error: 'Not found' });
    });
  });

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(cloud.port, '127.0.0.1', () => {
        server.off('error', reject);
        cloud.port = (server.address() as AddressInfo).port;
        cloud.url = `http://127.0.0.1:${cloud.port}/api`;
        resolve();
      });
    });
  cloud.start = listen;
  cloud.stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await listen();
  return cloud;
}
