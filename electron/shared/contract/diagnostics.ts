import type { ChannelMap, Op } from './types';

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

/** Either a folder (the unit's state or config directory, copied or mounted) or the files' text. */
export interface InspectIdentityRequest {
  dir?: string;
  deviceJson5?: string;
  provisionJson5?: string;
  certificatePem?: string;
  /** The device's current time, e.g. from `date -u` on its console, ISO 8601. */
  deviceTime?: string;
}

/** The unit on a serial port: its identity files read over the shell or the framed protocol. */
export interface ReadUnitIdentityRequest {
  path: string;
  /** esp32: read from the storage partition through the ROM bootloader; the unit is reset into its firmware after. */
  transport: 'shell' | 'framed' | 'esp32';
  /** esp32: how to enter the bootloader (default classic DTR/RTS). */
  reset?: 'classic' | 'usb-jtag' | 'none';
  /** Where the agent's state lives on the unit; default /opt/ioto/state (shell), the unit's root (framed). */
  deviceDir?: string;
  baudRate?: number;
  login?: { user: string; password: string };
  timeoutMs?: number;
}

export interface ConnectivityRequest {
  /** mqtts://host:port (mqtt:// checks reachability only). */
  url: string;
  certPath?: string;
  keyPath?: string;
  caPath?: string;
  certPem?: string;
  keyPem?: string;
  caPem?: string;
  timeoutMs?: number;
}

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

export interface DiagnosticsOps {
  inspectIdentity: Op<InspectIdentityRequest, IdentityReport>;
  /** Reads device.json5, provision.json5, certs/ioto.crt (and on a shell the clock) from the unit. */
  readUnitIdentity: Op<ReadUnitIdentityRequest, IdentityReport>;
  checkConnectivity: Op<ConnectivityRequest, ConnectivityReport>;
}

export const diagnosticsChannels = {
  inspectIdentity: 'diagnostics:inspect-identity',
  readUnitIdentity: 'diagnostics:read-unit-identity',
  checkConnectivity: 'diagnostics:check-connectivity',
} as const satisfies ChannelMap<DiagnosticsOps>;
