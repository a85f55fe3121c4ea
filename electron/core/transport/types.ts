/**
 * How the station talks to a unit over serial, whatever the transport ("shell" for a Linux unit's
 * console, "framed" for microcontrollers; see docs/serial-protocol.md). The station run depends only
 * on this interface; electron/core/transport/<kind>/ implements it.
 *
 * Writing and verifying are separate steps so a station that crashed between them can verify on
 * restart without writing again.
 */
import type { CertKeyType } from '../../shared/contract';

export type TransportKind = 'shell' | 'framed' | 'esp32';

/** How an ESP32 enters its ROM bootloader: DTR/RTS on a USB-UART, the USB-Serial/JTAG sequence, or a fixture holding the strap. */
export type Esp32ResetMode = 'classic' | 'usb-jtag' | 'none';

/**
 * The esp32 transport: the unit's state is a LittleFS partition written through the ROM
 * bootloader (ioto-contracts.md §8). Built from the profile's `esp32` section.
 */
export interface Esp32Settings {
  /** The chip family the profile names, e.g. `esp32`, `esp32-s3` (`any` for field reads without a profile). */
  chip: string;
  /** The storage partition: by label in the unit's table, or at a fixed offset and size. */
  partition: { label: string; offset?: number; size?: number };
  /** The rate after the stub is running (921600 by default). */
  flashBaud: number;
  reset: Esp32ResetMode;
  /** The product's shared state files (ioto.json5, schema, site, CA roots), paths relative to /state. */
  stateFiles: Array<{ path: string; content: Buffer }>;
}

export interface TransportSettings {
  kind: TransportKind;
  baudRate: number;
  /** Where the agent's state lives on the device, e.g. `/opt/ioto/state` (files are relative to it). */
  deviceDir: string;
  /** Shell transport: credentials when the console asks to log in. */
  login?: { user: string; password: string };
  /** Shell transport: commands run after a successful commit (e.g. restart the agent). */
  postCommands?: string[];
  /** Per-step timeout; a unit that does not answer in time fails with a clear message. */
  timeoutMs?: number;
  /** esp32 transport only. */
  esp32?: Esp32Settings;
}

export interface DeviceIdentity {
  transport: TransportKind;
  /** Framed: protocol version the device speaks. */
  protocolVersion?: number;
  /** Framed: largest frame the device accepts. */
  maxFrame?: number;
  /** What the device says it is (HELLO fields, or `uname -a` on a shell). */
  description?: string;
  /** A serial number the device reports, when it has one. */
  serial?: string;
}

export interface DeviceFile {
  /** Relative to TransportSettings.deviceDir, e.g. `config/device.json5`. */
  path: string;
  content: Buffer;
  /** 0o600 for keys and provision files, 0o644 otherwise. */
  mode: number;
}

export type TransferPhase = 'connect' | 'write' | 'verify' | 'commit';

/** Within a phase, what the bytes are (esp32: erase, write and verify of the flash). */
export type TransferStage = 'erase' | 'write' | 'verify';

export interface TransferProgress {
  phase: TransferPhase;
  path: string;
  fileIndex: number;
  fileCount: number;
  bytesDone: number;
  bytesTotal: number;
  stage?: TransferStage;
}

export interface TransferOptions {
  onProgress?: (progress: TransferProgress) => void;
  signal?: AbortSignal;
}

export interface WriteReport {
  bytes: number;
  /** Frames or chunks sent again after a timeout or a bad CRC. */
  retransmissions: number;
}

export interface VerifyResult {
  path: string;
  algorithm: 'sha256' | 'md5';
  expected: string;
  /** Null when the file is missing on the device. */
  actual: string | null;
  ok: boolean;
}

/** Key types a unit may be asked to generate: a profile's certificate policy's. */
export type DeviceKeyType = CertKeyType;

/**
 * A certificate signing request the unit makes for itself: it generates a key pair of `keyType`,
 * keeps the private key in `certs/ioto.key` (mode 0600, under the device directory) and returns a
 * PKCS#10 request for subject CN = `claimId` (+ O, OU). The private key never leaves the unit.
 */
export interface CsrRequest {
  claimId: string;
  keyType: DeviceKeyType;
  subject: { O?: string | undefined; OU?: string | undefined };
}

/**
 * What a unit already holds, read after connecting and before any claim ID is taken: the `id` of
 * its `config/device.json5` (null when the file is missing, or has no id or `'auto'`).
 * `unreadable` is set when the file exists but cannot be parsed: the station stops rather than guess.
 */
export interface HeldIdentity {
  claimId: string | null;
  unreadable?: string;
}

export interface DeviceSession {
  readonly identity: DeviceIdentity;
  /**
   * Reads what the unit already holds (shell: the file; framed: GET of it; later transports: their
   * own read). Never writes. Use `parseHeldIdentity` on the file's text.
   */
  readIdentity(options?: TransferOptions): Promise<HeldIdentity>;
  /**
   * Present when the transport can ask the unit for a CSR (framed command 0x50, or `openssl req`
   * on a shell). Resolves to the request as PEM. The unit replaces its certs/ioto.key.
   */
  requestCsr?(request: CsrRequest, options?: TransferOptions): Promise<string>;
  writeFiles(files: readonly DeviceFile[], options?: TransferOptions): Promise<WriteReport>;
  /** Reads back a hash of each file from the device and compares it with the content's. */
  verifyFiles(files: readonly DeviceFile[], options?: TransferOptions): Promise<VerifyResult[]>;
  /** Makes the files durable (sync / COMMIT) and runs post-commands. */
  commit(options?: TransferOptions): Promise<void>;
  close(): Promise<void>;
}

export interface OpenSessionOptions {
  /** Serial port path, e.g. /dev/ttyUSB0 or a pty. */
  path: string;
  settings: TransportSettings;
  signal?: AbortSignal;
  /** Console text seen while connecting (for the terminal view and the log). */
  onConsole?: (text: string) => void;
}

export type OpenDeviceSession = (options: OpenSessionOptions) => Promise<DeviceSession>;
