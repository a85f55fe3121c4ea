import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UnitState } from '../../electron/shared/contract';
import { fixedClock, type Clock } from '../../electron/core/clock';
import { createServices, type ServiceDeps, type ServicesHandle } from '../../electron/core/services';
import type { CloudOptions } from '../../electron/core/cloud';
import { makeTempDir } from './tempDir';

/** The profiles shipped in the repository. */
export const factoryProfilesDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'factory-profiles',
);

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
    /** The station run's device side (a fake device in tests). */
    device?: Pick<
      ServiceDeps,
      'openSession' | 'renderFiles' | 'afterVerified' | 'transportSettings' | 'portPresent'
    >;
    cloud?: CloudOptions;
    /** Serial port listing and how often it is polled for plug/unplug (default: real sysfs, 2 s). */
    ports?: ServiceDeps['ports'];
    portPollMs?: number;
    /** Line mode options; tests never pick up a LINESIDE_LINE_URL from the environment by accident. */
    line?: ServiceDeps['line'];
  } = {},
): TestStation {
  const temp = options.dataDir ? null : makeTempDir();
  const dataDir = options.dataDir ?? temp!.dir;
  const handle = createServices({
    dataDir,
    resourcesDir: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'resources'),
    clock: options.clock ?? fixedClock('2026-11-21T10:00:00.000Z', 1000),
    factoryProfilesDir,
    // A fake device's ports are names, not files: they are always "plugged in".
    ...(options.device ? { portPresent: () => true } : {}),
    ...options.device,
    runtime: {
      transport: options.transport ?? 'cli',
      appVersion: '0.1.0-test',
      electronVersion: null,
      chromeVersion: null,
    },
    ...(options.cloud ? { cloud: options.cloud } : {}),
    ...(options.ports ? { ports: options.ports } : {}),
    ...(options.portPollMs !== undefined ? { portPollMs: options.portPollMs } : {}),
    line: { envUrl: '', ...options.line },
  });
  // Closing twice (a test's restart, then cleanup) must not touch the closed database again.
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    handle.close();
  };
  return {
    ...handle,
    dataDir,
    close,
    cleanup() {
      close();
      temp?.cleanup();
    },
  };
}

/** Deterministic claim IDs in the agent's alphabet, for seeding. Reserved units have no serial yet. */
export function seedUnits(
  station: Pick<ServicesHandle, 'store'>,
  claimIds: string[],
  state: UnitState = 'verified',
  orderId = 'WO-TEST',
): void {
  const at = '2026-11-21T10:00:00.000Z';
  ensureOrder(station, orderId, claimIds.length, at);
  station.store.units.insertMany(
    claimIds.map((claimId, i) => ({
      claimId,
      state,
      serial: state === 'reserved' ? null : `SN${String(i).padStart(6, '0')}`,
      orderId,
      at,
    })),
  );
  for (const claimId of claimIds) station.store.events.append({ kind: 'unit.seeded', claimId, orderId });
}

/**
 * A minimal work order row for seeded units, so they take their IDs through the orders module
 * like real ones (orders.assignNextReserved). Real orders come from orders.createOrder.
 */
export function ensureOrder(
  station: Pick<ServicesHandle, 'store'>,
  orderId: string,
  count: number,
  at: string,
): void {
  const db = station.store.db;
  const hash = `seed-${orderId}`;
  const text = fs.readFileSync(path.join(factoryProfilesDir, 'ioto-demo.json5'), 'utf8');
  db.prepare(
    "INSERT OR IGNORE INTO profile_versions (hash, name, text, created_at) VALUES (?, 'ioto-demo', ?, ?)",
  ).run(hash, text, at);
  db.prepare(
    `INSERT INTO orders (id, profile_name, profile_hash, quantity, id_policy, reserved, state, created_at, updated_at)
     VALUES (?, 'seed', ?, ?, '{"alphabet":"0123456789ABCDEFGHJKMNPQRSTVWXYZ","length":10,"checkSymbol":false}', ?, 'ready', ?, ?)
     ON CONFLICT(id) DO UPDATE SET quantity = quantity + excluded.quantity, reserved = reserved + excluded.reserved`,
  ).run(orderId, hash, Math.max(1, count), count, at, at);
}
