/**
 * Error codes and the result shape that cross every boundary (IPC, bridge, CLI).
 * Imported by main, preload, bridge, cli, core and the renderer. Imports nothing.
 *
 * Expected failures are values: `{ ok: false, error }` with a stable code the UI can act on and a
 * sentence a technician can act on. A thrown exception inside a service is a bug and surfaces as
 * `internal`.
 */
export const errorCodes = [
  'validation',
  'unknown-operation',
  'unauthorized',
  'not-found',
  'conflict',
  'store-too-new',
  'store-unavailable',
  'unavailable',
  'busy',
  'timeout',
  'cancelled',
  'io',
  // Devices and serial ports
  'port-unavailable',
  'device-timeout',
  'device-disconnected',
  'device-refused',
  'verify-mismatch',
  'protocol',
  // Work orders and claim IDs
  'order-exhausted',
  'ids-exhausted',
  // Line mode (PostgreSQL): unreachable, refused (password, not a line, newer, restored), block used up
  'line-unavailable',
  'line-refused',
  'line-block-empty',
  // Factory CA and certificates
  'ca-locked',
  'bad-passphrase',
  'csr-refused',
  // Locked station mode: setup refused until an engineer unlocks it
  'station-locked',
  // A device file that cannot be read (truncated or damaged)
  'corrupt-file',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorInfo {
  code: ErrorCode;
  /** One sentence saying what happened and what to do. */
  message: string;
  /** Technical detail, shown one click away. */
  detail?: string;
  /** For validation errors: the dotted path of the offending field. */
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
