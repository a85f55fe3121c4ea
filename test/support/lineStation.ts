/**
 * Stations for line-mode tests: real services on their own SQLite file, a fake device per slot,
 * the real system clock (unless a test gives one), line work driven by `cycle()` rather than timers
 * so every test says exactly when the station talks to the line.
 */
import { systemClock, type Clock } from '../../electron/core/clock';
import type { ServiceDeps } from '../../electron/core/services';
import { createFakeDevice, renderTestFiles } from './fakeDevice';
import { createTestStation, type TestStation } from './station';
import { makeTempDir } from './tempDir';

/**
 * Each unit is its own fake device (the station reads what a unit holds before writing): the port
 * names the station, the slot and the unit's serial.
 */
export function unitPort(station: string, slot: number, serial: string): string {
  return `${station}-${slot}-${serial}`;
}

export interface LineStation extends TestStation {
  devicesDir: string;
  /** Provisions one unit on a slot of the fake fixture and waits for PASS/FAIL. */
  provision(
    slot: number,
    serial: string,
    orderId: string,
  ): Promise<{ status: string; claimId: string | null }>;
}

export function createLineStation(
  name: string,
  options: { clock?: Clock; dataDir?: string; line?: ServiceDeps['line']; bytesPerSecond?: number } = {},
): LineStation {
  const devices = makeTempDir('lineside-line-dev-');
  const { openSession } = createFakeDevice({ dir: devices.dir, bytesPerSecond: options.bytesPerSecond ?? 0 });
  const station = createTestStation({
    clock: options.clock ?? systemClock,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    device: { openSession, renderFiles: renderTestFiles },
    line: { connectTimeoutMs: 3000, statementTimeoutMs: 10_000, ...options.line },
  });
  station.store.settings.set('station', { stationName: name, operator: 'line-test' });
  return {
    ...station,
    devicesDir: devices.dir,
    async provision(slot, serial, orderId) {
      const r = await station.services.startUnit({
        slot,
        orderId,
        serial,
        port: unitPort(name, slot, serial),
        wait: true,
      });
      return { status: r.status, claimId: r.claimId };
    },
    cleanup() {
      station.cleanup();
      devices.cleanup();
    },
  };
}
