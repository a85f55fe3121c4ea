import type { UnitState } from '../../electron/shared/contract';
import { fixedClock, type Clock } from '../../electron/core/clock';
import type { CloudOptions } from '../../electron/core/cloud';
import { createServices, type ServicesHandle } from '../../electron/core/services';
import { makeTempDir } from './tempDir';

export interface TestStation extends ServicesHandle {
  dataDir: string;
  cleanup(): void;
}

/** Real services on a temp data directory (a real SQLite file), as every transport gets them. */
export function createTestStation(
  options: {
    clock?: Clock;
    transport?: 'cli' | 'browser' | 'electron';
    dataDir?: string;
    cloud?: CloudOptions;
  } = {},
): TestStation {
  const temp = options.dataDir ? null : makeTempDir();
  const dataDir = options.dataDir ?? temp!.dir;
  const handle = createServices({
    dataDir,
    clock: options.clock ?? fixedClock('2026-11-21T10:00:00.000Z', 1000),
    runtime: {
      transport: options.transport ?? 'cli',
      appVersion: '0.1.0-test',
      electronVersion: null,
      chromeVersion: null,
    },
    ...(options.cloud ? { cloud: options.cloud } : {}),
  });
  return {
    ...handle,
    dataDir,
    cleanup() {
      handle.close();
      temp?.cleanup();
    },
  };
}

/** Deterministic claim IDs in the agent's alphabet, for seeding. */
export function seedUnits(
  station: Pick<ServicesHandle, 'store'>,
  claimIds: string[],
  state: UnitState = 'verified',
): void {
  const at = '2026-11-21T10:00:00.000Z';
  station.store.units.insertMany(
    claimIds.map((claimId, i) => ({
      claimId,
      state,
      serial: `SN${String(i).padStart(6, '0')}`,
      orderId: 'WO-TEST',
      at,
    })),
  );
  for (const claimId of claimIds)
    station.store.events.append({ kind: 'unit.seeded', claimId, orderId: 'WO-TEST' });
}
