/**
 * A unit opened on a port outside the station run, for reading: the device-store browser and the
 * diagnostics both open one the same way from a technician's request (port, transport, and
 * whatever settings they typed), with the defaults of transport/settings.ts for the rest.
 */
import { openEsp32Session, type Esp32Session } from './esp32';
import { openFramedSession, type FramedSession } from './framed';
import { openShellSession, type ShellSession } from './shell';
import { openUnlessCancelled } from '../cancel';
import { esp32ReadSettings, resolveTransportSettings } from './settings';
import type { Esp32ResetMode, OpenSessionOptions, TransportKind, TransportSettings } from './types';

export interface UnitSessionRequest {
  /** Serial port path, e.g. /dev/ttyUSB0. */
  path: string;
  transport: TransportKind;
  deviceDir?: string | undefined;
  baudRate?: number | undefined;
  login?: { user: string; password: string } | undefined;
  timeoutMs?: number | undefined;
  /** esp32 only: how to enter the bootloader, the flashing rate, the storage partition's label. */
  reset?: Esp32ResetMode | undefined;
  flashBaud?: number | undefined;
  partitionLabel?: string | undefined;
}

export type UnitSession =
  | { kind: 'esp32'; settings: TransportSettings; session: Esp32Session }
  | { kind: 'framed'; settings: TransportSettings; session: FramedSession }
  | { kind: 'shell'; settings: TransportSettings; session: ShellSession };

/** The transports' openers (tests pass their own to see what would be opened). */
export interface UnitSessionOpeners {
  esp32(options: OpenSessionOptions): Promise<Esp32Session>;
  framed(options: OpenSessionOptions): Promise<FramedSession>;
  shell(options: OpenSessionOptions): Promise<ShellSession>;
}

const transportOpeners: UnitSessionOpeners = {
  esp32: (options) => openEsp32Session(options),
  framed: openFramedSession,
  shell: openShellSession,
};

/** The settings a request opens its unit with. */
export function unitSessionSettings(req: UnitSessionRequest): TransportSettings {
  if (req.transport === 'esp32') return esp32ReadSettings(req);
  return resolveTransportSettings({
    kind: req.transport,
    baudRate: req.baudRate,
    deviceDir: req.deviceDir,
    timeoutMs: req.timeoutMs,
    login: req.login,
  });
}

/**
 * Opens the unit the request names. `signal` (the call's: its window or page went away) stops a
 * unit that is still saying hello and answers `cancelled`.
 */
export async function openUnitSession(
  req: UnitSessionRequest,
  options: { openers?: UnitSessionOpeners | undefined; signal?: AbortSignal | undefined } = {},
): Promise<UnitSession> {
  const { signal } = options;
  return openUnlessCancelled(signal, () => openWith(req, options.openers ?? transportOpeners, signal));
}

async function openWith(
  req: UnitSessionRequest,
  openers: UnitSessionOpeners,
  signal: AbortSignal | undefined,
): Promise<UnitSession> {
  const settings = unitSessionSettings(req);
  const options = { path: req.path, settings, ...(signal ? { signal } : {}) };
  if (settings.kind === 'esp32') return { kind: 'esp32', settings, session: await openers.esp32(options) };
  if (settings.kind === 'framed') return { kind: 'framed', settings, session: await openers.framed(options) };
  return { kind: 'shell', settings, session: await openers.shell(options) };
}

/** Releases the port; an ESP32 is first reset into its firmware so the unit runs again. */
export async function closeUnitSession(unit: UnitSession): Promise<void> {
  if (unit.kind === 'esp32') await unit.session.resetToFirmware().catch(() => undefined);
  await unit.session.close();
}
