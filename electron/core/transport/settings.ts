/**
 * The one table of transport defaults. A profile's `transport` section, a device-store or
 * diagnostics request and the station's fallback (a profile with no transport section) all fill
 * what they leave out from here, so a framed unit is never written under a shell's folder because
 * one path guessed differently from another.
 */
import type { Esp32ResetMode, TransportKind, TransportSettings } from './types';

/** What the station assumes for a profile that names no transport: a microcontroller. */
export const DEFAULT_TRANSPORT_KIND: TransportKind = 'framed';

/** The console rate every transport opens at (esp32: the ROM bootloader's rate). */
export const DEFAULT_BAUD_RATE = 115200;

/**
 * Where the agent's state lives when nothing names a folder: the agent's install folder on a
 * Linux unit; the unit's own state root for the framed protocol (paths are relative to it,
 * docs/serial-protocol.md §4); `/state` in an ESP32's storage partition.
 */
export const DEFAULT_DEVICE_DIR: Readonly<Record<TransportKind, string>> = {
  shell: '/opt/ioto/state',
  framed: '',
  esp32: '/state',
};

/** Per-step timeout: a console or a framed unit answers each step within 10 s; the ROM bootloader reads flash slower. */
export const DEFAULT_TIMEOUT_MS: Readonly<Record<TransportKind, number>> = {
  shell: 10_000,
  framed: 10_000,
  esp32: 20_000,
};

/** The whole default for one transport kind. */
export function defaultTransportSettings(kind: TransportKind = DEFAULT_TRANSPORT_KIND): TransportSettings {
  return {
    kind,
    baudRate: DEFAULT_BAUD_RATE,
    deviceDir: DEFAULT_DEVICE_DIR[kind],
    timeoutMs: DEFAULT_TIMEOUT_MS[kind],
  };
}

/**
 * The settings reader: what a profile or a request gave, with the defaults of its kind for what it
 * left out (fields given as `undefined` count as left out).
 */
export function resolveTransportSettings(given: Partial<TransportSettings> = {}): TransportSettings {
  const kind = given.kind ?? DEFAULT_TRANSPORT_KIND;
  const defined = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined),
  ) as Partial<TransportSettings>;
  return { ...defaultTransportSettings(kind), ...defined, kind };
}

/** Settings to read any ESP32's storage in the field: no profile, so any chip and no state files. */
export function esp32ReadSettings(req: {
  reset?: Esp32ResetMode | undefined;
  flashBaud?: number | undefined;
  partitionLabel?: string | undefined;
  timeoutMs?: number | undefined;
}): TransportSettings {
  return {
    ...resolveTransportSettings({ kind: 'esp32', timeoutMs: req.timeoutMs }),
    esp32: {
      chip: 'any',
      partition: { label: req.partitionLabel ?? 'storage' },
      flashBaud: req.flashBaud ?? 921600,
      reset: req.reset ?? 'classic',
      stateFiles: [],
    },
  };
}
