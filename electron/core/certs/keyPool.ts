/**
 * Host-generated device keys from a pool: RSA key generation takes 50-500 ms, longer than the
 * station's whole per-unit budget, so keys are made ahead in the background (Node's crypto runs
 * generateKeyPair off the event loop, on libuv's thread pool) and refilled while the line runs.
 *
 * A pooled key is handed out once and forgotten: it lives only in memory, is never written down
 * and never reaches two units. When the pool is empty (a line faster than key generation, or the
 * first unit) `take` waits for a fresh key, exactly as without a pool.
 */
import type { KeyObject } from 'node:crypto';
import type { CertKeyType } from '../../shared/contract/certs';

export interface KeyPoolStats {
  /** Keys handed out that were ready (no waiting). */
  hits: number;
  /** Keys the caller had to wait for. */
  misses: number;
  ready: Partial<Record<CertKeyType, number>>;
}

export interface KeyPool {
  /** A fresh key of this type, used by nobody else. */
  take(type: CertKeyType): Promise<KeyObject>;
  /** Starts filling the pool for `type` (the first `take` does too). */
  warm(type: CertKeyType): void;
  readonly stats: KeyPoolStats;
  /** Drops every pooled key and stops refilling. */
  close(): void;
}

/** How many keys to keep ready per type: RSA is slow to make, EC is not worth pooling. */
export const DEFAULT_POOL_TARGET: Record<CertKeyType, number> = { rsa2048: 8, rsa3072: 4, 'ec-p256': 0 };

export function createKeyPool(options: {
  generate: (type: CertKeyType) => Promise<KeyObject>;
  target?: Partial<Record<CertKeyType, number>>;
  /** Keys made at once while refilling (the thread pool has 4 threads; leave some to file I/O). */
  parallel?: number;
}): KeyPool {
  const target = { ...DEFAULT_POOL_TARGET, ...options.target };
  const parallel = Math.max(1, options.parallel ?? 2);
  const ready = new Map<CertKeyType, KeyObject[]>();
  const making = new Map<CertKeyType, number>();
  const stats: KeyPoolStats = { hits: 0, misses: 0, ready: {} };
  let closed = false;

  const list = (type: CertKeyType) => ready.get(type) ?? ready.set(type, []).get(type)!;

  function refill(type: CertKeyType) {
    if (closed) return;
    const inFlight = making.get(type) ?? 0;
    const missing = target[type] - list(type).length - inFlight;
    for (let i = 0; i < Math.min(missing, parallel - inFlight); i++) {
      making.set(type, (making.get(type) ?? 0) + 1);
      options.generate(type).then(
        (key) => {
          making.set(type, making.get(type)! - 1);
          if (closed) return;
          list(type).push(key);
          stats.ready[type] = list(type).length;
          refill(type);
        },
        () => {
          // A failed background key is simply not pooled; `take` makes its own and reports errors.
          making.set(type, making.get(type)! - 1);
        },
      );
    }
  }

  return {
    stats,
    async take(type) {
      const key = list(type).shift();
      stats.ready[type] = list(type).length;
      refill(type);
      if (key) {
        stats.hits++;
        return key;
      }
      stats.misses++;
      return options.generate(type);
    },
    warm: refill,
    close() {
      closed = true;
      ready.clear();
      stats.ready = {};
    },
  };
}
