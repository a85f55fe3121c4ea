/**
 * A line of simulated framed units for the station-integrity tests: the shipped demo profile
 * switched to the framed protocol (device directory `/state`), listing the simulator's default
 * serial as a placeholder, a real order with reserved IDs, and N simulators on socat ptys.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SerialSpec } from '../../electron/shared/contract';
import { startSimulator, type Simulator } from './deviceSim';
import { factoryProfilesDir, type TestStation } from './station';
import { makeTempDir } from './tempDir';

export const SIM_PROFILE = 'sim-line';
/** What an unprovisioned simulator reports in HELLO. */
export const SIM_DEFAULT_SERIAL = 'SIM-0001';

export function writeSimProfile(dataDir: string, options: { placeholders?: boolean } = {}): void {
  let text = fs
    .readFileSync(path.join(factoryProfilesDir, 'ioto-demo.json5'), 'utf8')
    .replace("kind: 'shell'", "kind: 'framed'")
    .replace("deviceDir: '/opt/ioto/state'", "deviceDir: '/state'")
    .replace('timeoutMs: 10000', 'timeoutMs: 3000');
  if (options.placeholders !== false)
    text = text.replace(
      /\n(\s*)transport: \{/,
      `\n$1placeholderSerials: ['${SIM_DEFAULT_SERIAL}'],\n$1transport: {`,
    );
  fs.mkdirSync(path.join(dataDir, 'profiles'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'profiles', `${SIM_PROFILE}.json5`), text);
}

export async function createSimOrder(
  station: Pick<TestStation, 'orders' | 'dataDir'>,
  options: { orderId: string; quantity: number; serials?: SerialSpec; placeholders?: boolean },
): Promise<void> {
  writeSimProfile(station.dataDir, { placeholders: options.placeholders ?? true });
  station.orders.createOrder({
    profile: SIM_PROFILE,
    quantity: options.quantity,
    orderId: options.orderId,
    ...(options.serials ? { serials: options.serials } : {}),
  });
  await station.orders.reserveRemaining(options.orderId);
}

export interface SimUnit {
  sim: Simulator;
  dir: string;
  /** The unit's device.json5 as it is on the unit, or null. */
  deviceJson(): string | null;
  stop(): Promise<void>;
}

export async function startSimUnit(options: { serial?: string; baud?: number } = {}): Promise<SimUnit> {
  const temp = makeTempDir('lineside-simunit-');
  const sim = await startSimulator({
    dir: temp.dir,
    baud: options.baud ?? 921600,
    ...(options.serial ? { serial: options.serial } : {}),
  });
  const file = path.join(temp.dir, 'state', 'config', 'device.json5');
  let stopped = false;
  return {
    sim,
    dir: temp.dir,
    deviceJson: () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null),
    async stop() {
      if (stopped) return;
      stopped = true;
      await sim.stop();
      temp.cleanup();
    },
  };
}
