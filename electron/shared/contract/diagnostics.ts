import * as z from 'zod';
import { brokerUrl, consoleLogin, consoleTextArg, esp32Reset, serialTransport } from './fields';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';

/** Diagnostics that need no serial transport: identity files, certificate, connectivity, station record. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** SHA-256 fingerprint, colon-separated hex, as openssl prints it. */
  fingerprint256: string;
  serialNumber: string;
  /** Days until it expires (negative when expired). */
  daysLeft: number;
}

export interface DiagnosticWarning {
  severity: 'error' | 'warning';
  message: string;
}

export interface IdentityComparisonRow {
  field: 'claim ID' | 'profile hash' | 'certificate fingerprint';
  station: string | null;
  device: string | null;
  /** Null when one side is not known. */
  match: boolean | null;
}

export interface IdentityReport {
  device: Record<string, unknown> | null;
  provision: Record<string, unknown> | null;
  certificate: CertificateInfo | null;
  /** Device clock minus station clock, when the device's time was given. */
  clockSkewMs: number | null;
  warnings: DiagnosticWarning[];
  /** The station's record of this claim ID, compared field by field; null when it has none. */
  comparison: IdentityComparisonRow[] | null;
}

const pathArg = lazySchema(() => z.string().min(1).max(4096));
const textArg = lazySchema(() => z.string().max(256 * 1024));

/** Either a folder (the unit's state or config directory, copied or mounted) or the files' text. */
export const inspectIdentityRequest = lazySchema(() =>
  z
    .object({
      dir: pathArg.optional(),
      deviceJson5: textArg.optional(),
      provisionJson5: textArg.optional(),
      certificatePem: textArg.optional(),
      /** The device's current time, e.g. from `date -u` on its console, ISO 8601. */
      deviceTime: z.string().max(64).optional(),
    })
    .strict(),
);
export type InspectIdentityRequest = z.output<typeof inspectIdentityRequest>;

/** The unit on a serial port: its identity files read over the shell or the framed protocol. */
export const readUnitIdentityRequest = lazySchema(() =>
  z
    .object({
      path: pathArg,
      /** esp32: read from the storage partition through the ROM bootloader; the unit is reset into its firmware after. */
      transport: serialTransport,
      /** esp32: how to enter the bootloader (default classic DTR/RTS). */
      reset: esp32Reset.optional(),
      /** Where the agent's state lives on the unit; default /opt/ioto/state (shell), the unit's root (framed). */
      deviceDir: consoleTextArg(1000).optional(),
      baudRate: z.number().int().min(300).max(4_000_000).optional(),
      login: consoleLogin.optional(),
      timeoutMs: z.number().int().min(100).max(600_000).optional(),
    })
    .strict(),
);
export type ReadUnitIdentityRequest = z.output<typeof readUnitIdentityRequest>;

export const connectivityRequest = lazySchema(() =>
  z
    .object({
      /** mqtts://host:port (mqtt:// checks reachability only). */
      url: brokerUrl,
      certPath: pathArg.optional(),
      keyPath: pathArg.optional(),
      caPath: pathArg.optional(),
      certPem: textArg.optional(),
      keyPem: textArg.optional(),
      caPem: textArg.optional(),
      timeoutMs: z.number().int().min(100).max(120_000).optional(),
    })
    .strict(),
);
export type ConnectivityRequest = z.output<typeof connectivityRequest>;

export interface ConnectivityCheck {
  name: 'broker reachable' | 'TLS handshake with the unit certificate' | 'MQTT session accepted';
  ok: boolean;
  ms: number;
  message: string;
  detail?: string;
}

export interface ConnectivityReport {
  url: string;
  ok: boolean;
  checks: ConnectivityCheck[];
}

export const diagnosticsOperations = {
  inspectIdentity: op('diagnostics:inspect-identity', inspectIdentityRequest).returns<IdentityReport>(),
  /** Reads device.json5, provision.json5, certs/ioto.crt (and on a shell the clock) from the unit. */
  readUnitIdentity: op('diagnostics:read-unit-identity', readUnitIdentityRequest).returns<IdentityReport>(),
  checkConnectivity: op('diagnostics:check-connectivity', connectivityRequest).returns<ConnectivityReport>(),
};

export type DiagnosticsOps = OpsOf<typeof diagnosticsOperations>;
export const diagnosticsChannels = channelsOf(diagnosticsOperations);
export const diagnosticsSchemas = schemasOf(diagnosticsOperations);
