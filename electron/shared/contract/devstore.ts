import type { ErrorInfo } from '../errors';
import type { JobStartedReport } from './jobs';
import type { ChannelMap, Op } from './types';

/**
 * The offline manager: a device's local Store browsed from one of several sources behind one
 * interface (a copied database file, MQTT acting as the device's cloud; later the serial shell and
 * the framed protocol), and the evaluator's "what is my board's claim ID".
 */
export type DeviceStoreSourceKind = 'file' | 'mqtt' | 'shell' | 'framed' | 'esp32';

export interface DeviceStoreModelSummary {
  name: string;
  count: number;
}

export interface DeviceStoreReport {
  sourceId: string;
  kind: DeviceStoreSourceKind;
  /** What the technician recognises: a file name, or `claimId @ broker`. */
  label: string;
  /** Whether values can be written back through this source. */
  writable: boolean;
  models: DeviceStoreModelSummary[];
  /** File sources: the byte order found in the version field. */
  byteOrder: 'little-endian' | 'big-endian' | null;
  /** File sources: journal records replayed on top of the file. */
  journalRecords: number | null;
  /** False while a large file is still being read (rows so far are browsable). */
  complete: boolean;
  /** Set when the rest of a file turned out damaged after the first rows were shown. */
  error: ErrorInfo | null;
  /** File sources: a file whose last item or record was cut short (read up to it, the rest dropped). */
  torn: DeviceStoreTornFile[];
  /**
   * What the technician should know about what is shown, one sentence each: a journal-only
   * database, a torn record, or (MQTT) why the mirror holds what it holds.
   */
  notices: string[];
  openedAt: string;
}

export interface DeviceStoreTornFile {
  file: string;
  /** Where the item or record that was cut short starts. */
  offset: number;
  droppedBytes: number;
}

/** Paths (CLI, bridge on the same machine) or the files' bytes (a file picked in the app). */
export interface OpenDeviceDatabaseRequest {
  dbPath?: string;
  journalPath?: string | null;
  dbBase64?: string;
  journalBase64?: string | null;
  /** Shown as the label when bytes are sent. */
  name?: string;
  /** Answer with the first rows and keep reading (the app); default: read it all first (CLI). */
  stream?: boolean;
}

export interface OpenDeviceMqttRequest {
  /** mqtt://host:port or mqtts://host:port */
  url: string;
  claimId: string;
  /** Client certificate, key and CA: a path on the station or the PEM text. */
  certPath?: string;
  keyPath?: string;
  caPath?: string;
  certPem?: string;
  keyPem?: string;
  caPem?: string;
  /** How long to wait for the device's first message, default 30 s. */
  timeoutMs?: number;
  /**
   * Store keys to ask the device for at once: an idle device sends nothing of its existing Store
   * on its own (ioto-contracts.md §5), but reports an item it is asked for.
   */
  keys?: string[];
  /**
   * Default true: wait for the device's first message (it sends one when it connects). False: open
   * at once, e.g. to write to an idle device that is already connected (the write confirms itself).
   */
  waitForDevice?: boolean;
}

export interface AskDeviceItemsRequest {
  sourceId: string;
  /** Store keys (without the `s#`). */
  keys: string[];
}

export interface AskDeviceItemsReport {
  answered: string[];
  /** No answer within the wait: the device has no such item, or it is not connected. */
  missing: string[];
  report: DeviceStoreReport;
}

/** A unit on a serial port: its shell console (read-only) or the framed protocol (read and write). */
export interface OpenDeviceSerialRequest {
  /** Serial port path, e.g. /dev/ttyUSB0. */
  path: string;
  /** esp32: the storage partition read through the ROM bootloader (ioto-contracts.md §8), read-only. */
  transport: 'shell' | 'framed' | 'esp32';
  /** Where the agent's state lives on the unit; default /opt/ioto/state (shell), the unit's root (framed). */
  deviceDir?: string;
  baudRate?: number;
  /** Shell: how to read the Store; default: the db tool when the unit has it, else the files. */
  method?: 'auto' | 'files' | 'db-tool';
  /** Shell: credentials when the console asks to log in. */
  login?: { user: string; password: string };
  /** Per-step timeout, default 10 s. */
  timeoutMs?: number;
  /** esp32: how to enter the bootloader (default classic DTR/RTS), the flashing rate, the partition label. */
  reset?: 'classic' | 'usb-jtag' | 'none';
  flashBaud?: number;
  partitionLabel?: string;
}

export interface DeviceItemRow {
  sk: string;
  model: string;
  /** Store items: their key; other models: the sort key. */
  key: string;
  /** The value as text (JSON for anything but a string). */
  value: string;
  type: string;
  updated: string | null;
}

export type DeviceItemSort = 'key' | 'value' | 'type' | 'updated';

export interface ListDeviceItemsRequest {
  sourceId: string;
  model: string;
  /** Case-insensitive text found in the key or the value. */
  search?: string;
  /** Only rows of this type ("string", "number", "boolean", "object", ...). */
  type?: string;
  sort?: DeviceItemSort;
  descending?: boolean;
  offset?: number;
  /** 1..1000, default 200. */
  limit?: number;
}

export interface DeviceItemsPageReport {
  items: DeviceItemRow[];
  offset: number;
  /** Rows matching the search. */
  total: number;
}

export type DeviceValueType = 'string' | 'number' | 'boolean' | 'object';

/** One item with every field, as the device holds it (for the store browser's detail view). */
export interface DeviceItemDetailReport {
  sk: string;
  model: string;
  fields: Record<string, unknown>;
}

export interface SetDeviceItemRequest {
  sourceId: string;
  key: string;
  /** The new value as typed; parsed according to `type`. */
  value: string;
  type: DeviceValueType;
}

export interface DeviceTrafficEntry {
  at: string;
  direction: 'in' | 'out';
  topic: string;
  /** The payload as text, cut to 2,000 characters. */
  payload: string;
}

export interface ExportDeviceStoreRequest {
  sourceId: string;
  model?: string;
  format: 'json' | 'csv';
}

export interface DeviceStoreExportReport {
  fileName: string;
  mediaType: string;
  text: string;
}

export interface ClaimIdWatchRequest {
  /** The dev board's serial port, e.g. /dev/ttyUSB0. */
  path: string;
  baudRate?: number;
  /** Default 120 s. */
  timeoutMs?: number;
  /**
   * With no claim ID line after this long (default 4 s): press Enter on the console (a bare
   * newline) and wait for the banner; or, for a board that speaks the framed protocol (`framed`, or
   * it sent a valid frame), ask it for its config/device.json5 id. 0: only watch the console.
   */
  askAfterMs?: number;
  /**
   * The board speaks Lineside's framed protocol. Without it no binary probe is ever sent: on a
   * Linux console its 0x03 is Ctrl-C and kills the running agent (ioto-contracts.md §9).
   */
  framed?: boolean;
}

export interface ClaimIdReport {
  claimId: string;
  /** The console line it was found on. */
  line: string;
  claimUrl: string;
  /** The claim ID as a QR code, SVG text. */
  qrSvg: string;
}

export interface SerialPortEntry {
  path: string;
  manufacturer: string | null;
  serialNumber: string | null;
}

export interface DevStoreOps {
  openDeviceDatabase: Op<OpenDeviceDatabaseRequest, DeviceStoreReport>;
  openDeviceMqtt: Op<OpenDeviceMqttRequest, DeviceStoreReport>;
  openDeviceSerial: Op<OpenDeviceSerialRequest, DeviceStoreReport>;
  listDeviceStores: Op<void, DeviceStoreReport[]>;
  closeDeviceStore: Op<{ sourceId: string }, { closed: boolean }>;
  listDeviceItems: Op<ListDeviceItemsRequest, DeviceItemsPageReport>;
  getDeviceItem: Op<{ sourceId: string; model: string; sk: string }, DeviceItemDetailReport>;
  setDeviceItem: Op<SetDeviceItemRequest, DeviceItemRow>;
  /** MQTT: asks the device to report these keys now (the only way to see an idle device's items). */
  askDeviceItems: Op<AskDeviceItemsRequest, AskDeviceItemsReport>;
  getDeviceTraffic: Op<{ sourceId: string }, DeviceTrafficEntry[]>;
  exportDeviceStore: Op<ExportDeviceStoreRequest, DeviceStoreExportReport>;
  listSerialPorts: Op<void, SerialPortEntry[]>;
  /**
   * Starts watching a port's console; the job's result is a ClaimIdReport. While it runs, the job's
   * `done` is the number of bytes the board has sent so far (`total` 0).
   */
  watchClaimId: Op<ClaimIdWatchRequest, JobStartedReport>;
  claimIdCard: Op<{ claimId: string }, ClaimIdReport>;
  /** The claim page link; `{claimId}` is replaced by the ID. */
  getClaimUrlTemplate: Op<void, { template: string }>;
  setClaimUrlTemplate: Op<{ template: string }, { template: string }>;
}

export const devStoreChannels = {
  openDeviceDatabase: 'devstore:open-database',
  openDeviceMqtt: 'devstore:open-mqtt',
  openDeviceSerial: 'devstore:open-serial',
  listDeviceStores: 'devstore:list',
  closeDeviceStore: 'devstore:close',
  listDeviceItems: 'devstore:list-items',
  getDeviceItem: 'devstore:get-item',
  setDeviceItem: 'devstore:set-item',
  askDeviceItems: 'devstore:ask-items',
  getDeviceTraffic: 'devstore:get-traffic',
  exportDeviceStore: 'devstore:export',
  listSerialPorts: 'devstore:list-serial-ports',
  watchClaimId: 'devstore:watch-claim-id',
  claimIdCard: 'devstore:claim-id-card',
  getClaimUrlTemplate: 'devstore:get-claim-url-template',
  setClaimUrlTemplate: 'devstore:set-claim-url-template',
} as const satisfies ChannelMap<DevStoreOps>;
