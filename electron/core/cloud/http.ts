import http from 'node:http';
import https from 'node:https';

/** One JSON POST with a hard deadline. Node's http, not fetch, so the headers sent are exactly ours. */
export interface PostResult {
  status: number;
  text: string;
}

export class HttpTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'HttpTimeout';
  }
}

export interface PostOptions {
  url: URL;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  signal?: AbortSignal;
  agents?: { http: http.Agent; https: https.Agent };
  maxBytes?: number;
}

export function postJson(options: PostOptions): Promise<PostResult> {
  const { url, timeoutMs } = options;
  const payload = Buffer.from(options.body, 'utf8');
  const secure = url.protocol === 'https:';
  const request = secure ? https.request : http.request;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const req = request(url, {
      method: 'POST',
      headers: { ...options.headers, 'Content-Length': String(payload.length) },
      agent: options.agents ? (secure ? options.agents.https : options.agents.http) : undefined,
    });
    const timer = setTimeout(() => {
      const error = new HttpTimeout(timeoutMs);
      req.destroy(error);
      finish(() => reject(error));
    }, timeoutMs);
    const onAbort = () => {
      const error = new Error('cancelled');
      error.name = 'AbortError';
      req.destroy(error);
      finish(() => reject(error));
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => finish(() => reject(error)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) chunks.push(chunk);
      });
      res.on('error', (error) => finish(() => reject(error)));
      res.on('end', () =>
        finish(() => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') })),
      );
    });
    req.end(payload);
  });
}
