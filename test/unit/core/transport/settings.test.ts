import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Failure } from '../../../../electron/core/failure';
import { createDeviceStoreService } from '../../../../electron/core/handlers/devstore';
import { createDiagnosticsService } from '../../../../electron/core/handlers/diagnostics';
import { resolveTransportSettings } from '../../../../electron/core/transport/settings';
import type { TransportSettings } from '../../../../electron/core/transport/types';
import type { UnitSessionOpeners } from '../../../../electron/core/transport/unitSession';
import { createTestStation, factoryProfilesDir, type TestStation } from '../../../support/station';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function station(): TestStation {
  const s = createTestStation();
  cleanups.push(() => s.cleanup());
  return s;
}

/** Openers that record the settings a unit would be opened with, then refuse (no port here). */
function recordingOpeners(seen: TransportSettings[]): UnitSessionOpeners {
  const refuse = (options: { settings: TransportSettings }): Promise<never> => {
    seen.push(options.settings);
    return Promise.reject(new Failure('port-unavailable', 'No port in this test.'));
  };
  return { esp32: refuse, framed: refuse, shell: refuse };
}

/** The settings the device-store browser opens a unit with for `transport` and nothing else. */
async function deviceStorePath(s: TestStation, transport: 'framed' | 'shell'): Promise<TransportSettings> {
  const seen: TransportSettings[] = [];
  const service = createDeviceStoreService({
    store: s.store,
    sessions: s.deviceStores,
    clock: { now: () => new Date() },
    newId: () => 'id',
    openers: recordingOpeners(seen),
  });
  await expect(service.openDeviceSerial({ path: '/dev/ttyTEST0', transport })).rejects.toThrow(
    'No port in this test.',
  );
  expect(seen).toHaveLength(1);
  return seen[0]!;
}

/** The settings the diagnostics read a unit's identity with. */
async function diagnosticsPath(s: TestStation, transport: 'framed' | 'shell'): Promise<TransportSettings> {
  const seen: TransportSettings[] = [];
  const service = createDiagnosticsService({
    store: s.store,
    clock: { now: () => new Date() },
    newId: () => 'id',
    openers: recordingOpeners(seen),
  });
  await expect(service.readUnitIdentity({ path: '/dev/ttyTEST0', transport })).rejects.toThrow(
    'No port in this test.',
  );
  expect(seen).toHaveLength(1);
  return seen[0]!;
}

/**
 * The settings the station run writes a unit with when its profile has no transport section (a
 * section that is there names its kind, baud rate and folder: the profile check requires them).
 */
function stationPath(s: TestStation, orderId: string): TransportSettings {
  const text = fs
    .readFileSync(path.join(factoryProfilesDir, 'thermostat-pro.json5'), 'utf8')
    .replace(/ {2}transport: \{[^}]*\},\n/, '');
  expect(text).not.toContain('transport');
  const name = `no-transport-${orderId}`;
  fs.mkdirSync(path.join(s.dataDir, 'profiles'), { recursive: true });
  fs.writeFileSync(path.join(s.dataDir, 'profiles', `${name}.json5`), text);
  s.orders.createOrder({ profile: name, quantity: 1, orderId });
  return s.wiring.transportSettings(orderId);
}

describe('one default transport setting', () => {
  it('a framed unit is opened with the same defaults by the device store, the diagnostics and the station run', async () => {
    const s = station();
    const framed = {
      kind: 'framed',
      baudRate: 115200,
      // Framed paths are relative to the unit's state root (docs/serial-protocol.md §4).
      deviceDir: '',
      timeoutMs: 10_000,
    };
    expect(await deviceStorePath(s, 'framed')).toEqual(framed);
    expect(await diagnosticsPath(s, 'framed')).toEqual(framed);
    // A profile with no transport section: the station assumes a framed microcontroller.
    expect(stationPath(s, 'WO-NONE')).toEqual(framed);
  });

  it('a shell unit is opened with the same defaults by the device store and the diagnostics', async () => {
    const s = station();
    const shell = { kind: 'shell', baudRate: 115200, deviceDir: '/opt/ioto/state', timeoutMs: 10_000 };
    expect(await deviceStorePath(s, 'shell')).toEqual(shell);
    expect(await diagnosticsPath(s, 'shell')).toEqual(shell);
  });

  it('keeps what was given, and a field given as undefined takes the default', () => {
    expect(
      resolveTransportSettings({
        kind: 'shell',
        deviceDir: '/data/agent',
        baudRate: undefined,
        timeoutMs: 3000,
      }),
    ).toEqual({ kind: 'shell', baudRate: 115200, deviceDir: '/data/agent', timeoutMs: 3000 });
    expect(resolveTransportSettings({ kind: 'esp32' })).toEqual({
      kind: 'esp32',
      baudRate: 115200,
      deviceDir: '/state',
      timeoutMs: 20_000,
    });
  });
});
