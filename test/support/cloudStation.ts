import { systemClock } from '../../electron/core/clock';
import type { CloudOptions, RegistrationInput } from '../../electron/core/cloud';
import { createTestStation, type TestStation } from './station';
import { STANDIN_PRODUCT } from './standinCloud';

/** A station on a temp dir with real time (backoff and leases need it) and the stand-in's token stored. */
export function createCloudStation(
  options: { cloud?: CloudOptions; dataDir?: string; transport?: 'cli' | 'browser' } = {},
): TestStation & { productRef: string } {
  const station = createTestStation({
    clock: systemClock,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.transport ? { transport: options.transport } : {}),
    cloud: {
      concurrency: 8,
      timeoutMs: 2000,
      backoff: { baseMs: 20, maxMs: 200 },
      pollMs: 50,
      ...options.cloud,
    },
  });
  const productRef = station.secrets.put('product:Stand-in widget', STANDIN_PRODUCT).ref;
  return Object.assign(station, { productRef });
}

/** A unit's device.json5 as the station writes it, plus `created`. */
export function deviceJson(claimId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    product: STANDIN_PRODUCT,
    id: claimId,
    name: 'Widget',
    model: 'W-100',
    description: 'Line test widget',
    test: false,
    ...extra,
    created: '2026-11-21T10:00:00.000Z',
  };
}

export function registration(
  station: { productRef: string },
  claimId: string,
  builderUrl: string,
  extra: Record<string, unknown> = {},
  orderId = 'WO-CLOUD',
): RegistrationInput {
  return { claimId, orderId, body: deviceJson(claimId, extra), builderUrl, productRef: station.productRef };
}

export function claimIds(n: number, prefix = 'C'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(9 - prefix.length + 1, '0')}`);
}
