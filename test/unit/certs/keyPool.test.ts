/**
 * The host-key pool: keys are made ahead in the background, each handed out once, refilled after
 * every take, and an empty pool still answers (with a fresh key).
 */
import type { KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKey } from '../../../electron/core/certs/authority';
import { createKeyPool } from '../../../electron/core/certs/keyPool';

const der = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'der' }).toString('hex');

describe('host key pool', () => {
  it('fills in the background, hands each key out once, and refills while the line runs', async () => {
    let made = 0;
    const pool = createKeyPool({
      generate: (t) => {
        made++;
        return generateKey(t);
      },
      target: { rsa2048: 3 },
    });
    pool.warm('rsa2048');
    await expect.poll(() => pool.stats.ready.rsa2048, { timeout: 60_000 }).toBe(3);
    const start = performance.now();
    const keys = [await pool.take('rsa2048'), await pool.take('rsa2048')];
    // Ready keys come at once: no RSA generation on the caller's path.
    expect(performance.now() - start).toBeLessThan(50);
    expect(pool.stats).toMatchObject({ hits: 2, misses: 0 });
    expect(keys[0]!.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(new Set(keys.map(der)).size).toBe(2);
    await expect.poll(() => pool.stats.ready.rsa2048, { timeout: 60_000 }).toBe(3);
    expect(made).toBe(5);
    // Everything handed out or pooled is distinct.
    const rest = [await pool.take('rsa2048'), await pool.take('rsa2048'), await pool.take('rsa2048')];
    expect(new Set([...keys, ...rest].map(der)).size).toBe(5);
    pool.close();
  }, 120_000); // RSA generation on a loaded shared machine

  it('an empty pool waits for a fresh key; EC keys are not pooled by default', async () => {
    const pool = createKeyPool({ generate: generateKey });
    const key = await pool.take('ec-p256');
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(pool.stats).toMatchObject({ hits: 0, misses: 1 });
    expect(pool.stats.ready['ec-p256'] ?? 0).toBe(0);
    pool.close();
  }, 60_000);
});
