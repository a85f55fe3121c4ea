import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../../electron/core/services';
import { makeTempDir } from '../../support/tempDir';

const SEALED = 'secrets.tokens-sealed-at-rest';
const runtime = {
  transport: 'cli' as const,
  appVersion: '0.0.0',
  electronVersion: null,
  chromeVersion: null,
};

describe('createServices builds on first use', () => {
  it('answers getAppInfo from the store alone; the secrets are made when a part needs them', async () => {
    const temp = makeTempDir();
    try {
      const handle = createServices({ dataDir: temp.dir, runtime, portPollMs: 0 });
      try {
        const info = await handle.dispatch('getAppInfo', undefined);
        expect(info).toMatchObject({ ok: true, value: { dataDir: temp.dir } });
        // Nothing but the store was made: no files beside the database, and the secrets (whose
        // creation seals any token stored in the clear, then records it) were not made.
        expect(fs.readdirSync(temp.dir).filter((f) => !f.startsWith('lineside.db'))).toEqual([]);
        expect(handle.store.settings.get(SEALED, false)).toBe(false);
        // Orders need the secrets (sealed tokens): made now, once.
        expect(await handle.dispatch('listOrders', undefined)).toMatchObject({ ok: true, value: [] });
        expect(handle.store.settings.get(SEALED, false)).toBe(true);
        // The same part every time.
        expect(handle.orders).toBe(handle.orders);
      } finally {
        handle.close();
        handle.close();
      }
    } finally {
      temp.cleanup();
    }
  });
});
