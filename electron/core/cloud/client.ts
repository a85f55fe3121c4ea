import http from 'node:http';
import https from 'node:https';
import JSON5 from 'json5';
import { HttpTimeout, postJson } from './http';
import { MIME, contentType } from '../../shared/mime';

/** The vendor's public builder: what a profile without `cloud.builder` registers with. */
export const DEFAULT_BUILDER_URL = 'https://api.admin.embedthis.com/api';
export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * What one register call came to (ioto-contracts §4):
 * - registered: 200 with exactly one property;
 * - claimed: 200 with more properties (they become the unit's provision.json5);
 * - rejected: 4xx (or a redirect): retrying the same request cannot help, a person must act;
 * - transient: 5xx, 408/429, timeout, refused or dropped connection, or an empty/unreadable 200:
 *   retry later with backoff.
 */
export type RegisterOutcome =
  | { kind: 'registered'; status: number }
  | { kind: 'claimed'; status: number; provision: Record<string, unknown> }
  | { kind: 'rejected'; status: number; reason: string }
  | { kind: 'transient'; status: number | null; reason: string };

export interface RegisterRequest {
  builderUrl: string;
  /** The product token: the bearer credential and the body's `product`. */
  product: string;
  /** The unit's device.json5 content plus `created`, without `product` (added here, first). */
  body: Record<string, unknown>;
  signal?: AbortSignal;
}

export interface CloudClient {
  register(request: RegisterRequest): Promise<RegisterOutcome>;
  close(): void;
}

export function registerUrl(builderUrl: string): URL {
  return new URL(`${builderUrl.replace(/\/+$/, '')}/device/register`);
}

/** The exact bytes the agent would send: product first, then the device's own keys in order. */
export function registerBody(product: string, body: Record<string, unknown>): string {
  const { product: _ignored, ...rest } = body;
  return JSON.stringify({ product, ...rest });
}

export function createCloudClient(options: { timeoutMs?: number; maxSockets?: number } = {}): CloudClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  return {
    async register({ builderUrl, product, body, signal }) {
      let result;
      try {
        result = await postJson({
          url: registerUrl(builderUrl),
          headers: { Authorization: `bearer ${product}`, 'Content-Type': contentType(MIME.json) },
          body: registerBody(product, body),
          timeoutMs,
          agents,
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if ((error as Error).name === 'AbortError') throw error;
        return { kind: 'transient', status: null, reason: networkReason(error, timeoutMs) };
      }
      return redact(classify(result.status, result.text), product);
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

export function classify(status: number, text: string): RegisterOutcome {
  if (status === 200) {
    let value: unknown;
    try {
      value = JSON5.parse(text);
    } catch {
      return { kind: 'transient', status, reason: 'The builder answered 200 with a body that is not JSON.' };
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      return { kind: 'transient', status, reason: 'The builder answered 200 without a JSON object.' };
    }
    const keys = Object.keys(value);
    if (keys.length === 0)
      return { kind: 'transient', status, reason: 'The builder answered with an empty object.' };
    if (keys.length === 1) return { kind: 'registered', status };
    return { kind: 'claimed', status, provision: value as Record<string, unknown> };
  }
  const said = serverReason(text);
  if (status >= 500 || status === 408 || status === 429 || status < 200) {
    return {
      kind: 'transient',
      status,
      reason: `The builder is unavailable (HTTP ${status})${said ? `: ${said}` : ''}.`,
    };
  }
  if (status === 401 || status === 403) {
    return {
      kind: 'rejected',
      status,
      reason: `The builder refused the product token (HTTP ${status})${said ? `: ${said}` : ''}. Check the product token in the profile.`,
    };
  }
  if (status >= 300 && status < 400) {
    return {
      kind: 'rejected',
      status,
      reason: `The builder URL redirects (HTTP ${status}): check the builder URL in the profile.`,
    };
  }
  return {
    kind: 'rejected',
    status,
    reason: `The builder refused this unit (HTTP ${status})${said ? `: ${said}` : ''}.`,
  };
}

function serverReason(text: string): string {
  try {
    const v = JSON5.parse(text) as unknown;
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const r = o.error ?? o.message ?? o.reason;
      if (typeof r === 'string') return r.slice(0, 300);
    }
  } catch {
    // not JSON: use the text itself
  }
  return text.trim().slice(0, 300);
}

function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof HttpTimeout) return `The builder did not answer within ${timeoutMs / 1000} s.`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'The builder refused the connection (is the network up?).';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return 'The builder host name cannot be resolved (no internet?).';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'The connection to the builder was dropped.';
  return `The builder cannot be reached: ${code ?? (error as Error).message}.`;
}

/** A server that echoes the token back must not get it into our reasons (they are shown and logged). */
function redact(outcome: RegisterOutcome, product: string): RegisterOutcome {
  if (
    (outcome.kind === 'rejected' || outcome.kind === 'transient') &&
    product &&
    outcome.reason.includes(product)
  ) {
    return { ...outcome, reason: outcome.reason.split(product).join('[product token]') };
  }
  return outcome;
}

/** Exponential backoff with "equal jitter": half the step fixed, half random. */
export function backoffMs(
  attempt: number,
  policy: { baseMs: number; maxMs: number },
  random: () => number,
): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
