import type { ErrorInfo } from '../errors';
import type { JobStartedReport } from './jobs';
import * as z from 'zod';
import { brokerUrl, consoleLogin, consoleTextArg, esp32Reset, noArgs, serialTransport } from './fields';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';

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

const sourceId = lazySchema(() => z.string().min(1).max(100));
const pathArg = lazySchema(() => z.string().min(1).max(4096));
const pemArg = lazySchema(() =>
  z
    .string()
    .min(1)
    .max(64 * 1024),
);
const claimId = lazySchema(() =>
  z.string().regex(/^[0-9A-Z]{1,20}$/, 'A claim ID is 1 to 20 characters of 0-9 and A-Z'),
);
const storeKey = lazySchema(() => z.string().min(1).max(200));
const modelName = lazySchema(() => z.string().min(1).max(200));

/** Paths (CLI, bridge on the same machine) or the files' bytes (a file picked in the app). */
export const openDeviceDatabaseRequest = lazySchema(() =>
  z
    .object({
      dbPath: pathArg.optional(),
      journalPath: pathArg.nullable().optional(),
      dbBase64: z
        .string()
        .max(400 * 1024 * 1024)
        .optional(),
      journalBase64: z
        .string()
        .max(400 * 1024 * 1024)
        .nullable()
        .optional(),
      /** Shown as the label when bytes are sent. */
      name: z.string().max(200).optional(),
      /** Answer with the first rows and keep reading (the app); default: read it all first (CLI). */
      stream: z.boolean().optional(),
    })
    .strict(),
);
export type OpenDeviceDatabaseRequest = z.output<typeof openDeviceDatabaseRequest>;

export const openDeviceMqttRequest = lazySchema(() =>
  z
    .object({
      /** mqtt://host:port or mqtts://host:port */
      url: brokerUrl,
      claimId,
      /** Client certificate, key and CA: a path on the station or the PEM text. */
      certPath: pathArg.optional(),
      keyPath: pathArg.optional(),
      caPath: pathArg.optional(),
      certPem: pemArg.optional(),
      keyPem: pemArg.optional(),
      caPem: pemArg.optional(),
      /** How long to wait for the device's first message, default 30 s. */
      timeoutMs: z.number().int().min(100).max(600_000).optional(),
      /**
       * Store keys to ask the device for at once: an idle device sends nothing of its existing Store
       * on its own (ioto-contracts.md §5), but reports an item it is asked for.
       */
      keys: z.array(storeKey).min(1).max(200).optional(),
      /**
       * Default true: wait for the device's first message (it sends one when it connects). False: open
       * at once, e.g. to write to an idle device that is already connected (the write confirms itself).
       */
      waitForDevice: z.boolean().optional(),
    })
    .strict(),
);
export type OpenDeviceMqttRequest = z.output<typeof openDeviceMqttRequest>;

export const askDeviceItemsRequest = lazySchema(() =>
  z
    .object({
      sourceId,
      /** Store keys (without the `s#`). */
      keys: z.array(storeKey).min(1).max(200),
    })
    .strict(),
);
export type AskDeviceItemsRequest = z.output<typeof askDeviceItemsRequest>;

export interface AskDeviceItemsReport {
  answered: string[];
  /** No answer within the wait: the device has no such item, or it is not connected. */
  missing: string[];
  report: DeviceStoreReport;
}

/** A unit on a serial port: its shell console (read-only) or the framed protocol (read and write). */
export const openDeviceSerialRequest = lazySchema(() =>
  z
    .object({
      /** Serial port path, e.g. /dev/ttyUSB0. */
      path: pathArg,
      /** esp32: the storage partition read through the ROM bootloader (ioto-contracts.md §8), read-only. */
      transport: serialTransport,
      /** Where the agent's state lives on the unit; default /opt/ioto/state (shell), the unit's root (framed). */
      deviceDir: consoleTextArg(1000).optional(),
      /** esp32: how to enter the bootloader (default classic DTR/RTS), the flashing rate, the partition label. */
      reset: esp32Reset.optional(),
      flashBaud: z.number().int().min(9600).max(4_000_000).optional(),
      partitionLabel: z.string().min(1).max(16).optional(),
      baudRate: z.number().int().min(300).max(4_000_000).optional(),
      /** Shell: how to read the Store; default: the db tool when the unit has it, else the files. */
      method: z.enum(['auto', 'files', 'db-tool']).optional(),
      /** Shell: credentials when the console asks to log in. */
      login: consoleLogin.optional(),
      /** Per-step timeout, default 10 s. */
      timeoutMs: z.number().int().min(100).max(600_000).optional(),
    })
    .strict(),
);
export type OpenDeviceSerialRequest = z.output<typeof openDeviceSerialRequest>;

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

export const deviceItemSortSchema = lazySchema(() => z.enum(['key', 'value', 'type', 'updated']));
export type DeviceItemSort = z.output<typeof deviceItemSortSchema>;

export const listDeviceItemsRequest = lazySchema(() =>
  z
    .object({
      sourceId,
      model: modelName,
      /** Case-insensitive text found in the key or the value. */
      search: z.string().max(200).optional(),
      /** Only rows of this type ("string", "number", "boolean", "object", ...). */
      type: z.string().max(40).optional(),
      sort: deviceItemSortSchema.optional(),
      descending: z.boolean().optional(),
      offset: z.number().int().min(0).optional(),
      /** 1..1000, default 200. */
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
);
export type ListDeviceItemsRequest = z.output<typeof listDeviceItemsRequest>;

export interface DeviceItemsPageReport {
  items: DeviceItemRow[];
  offset: number;
  /** Rows matching the search. */
  total: number;
}

export const deviceValueTypeSchema = lazySchema(() => z.enum(['string', 'number', 'boolean', 'object']));
export type DeviceValueType = z.output<typeof deviceValueTypeSchema>;

/** One item with every field, as the device holds it (for the store browser's detail view). */
export interface DeviceItemDetailReport {
  sk: string;
  model: string;
  fields: Record<string, unknown>;
}

export const setDeviceItemRequest = lazySchema(() =>
  z
    .object({
      sourceId,
      key: z.string().min(1).max(200),
      /** The new value as typed; parsed according to `type`. */
      value: z.string().max(64 * 1024),
      type: deviceValueTypeSchema,
    })
    .strict(),
);
export type SetDeviceItemRequest = z.output<typeof setDeviceItemRequest>;

export interface DeviceTrafficEntry {
  at: string;
  direction: 'in' | 'out';
  topic: string;
  /** The payload as text, cut to 2,000 characters. */
  payload: string;
}

export const exportDeviceStoreRequest = lazySchema(() =>
  z.object({ sourceId, model: modelName.optional(), format: z.enum(['json', 'csv']) }).strict(),
);
export type ExportDeviceStoreRequest = z.output<typeof exportDeviceStoreRequest>;

export interface DeviceStoreExportReport {
  fileName: string;
  mediaType: string;
  text: string;
}

export const claimIdWatchRequest = lazySchema(() =>
  z
    .object({
      /** The dev board's serial port, e.g. /dev/ttyUSB0. */
      path: pathArg,
      baudRate: z.number().int().min(300).max(4_000_000).optional(),
      /** Default 120 s. */
      timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
      /**
       * With no claim ID line after this long (default 4 s): press Enter on the console (a bare
       * newline) and wait for the banner; or, for a board that speaks the framed protocol (`framed`, or
       * it sent a valid frame), ask it for its config/device.json5 id. 0: only watch the console.
       */
      askAfterMs: z.number().int().min(0).max(600_000).optional(),
      /**
       * The board speaks Lineside's framed protocol. Without it no binary probe is ever sent: on a
       * Linux console its 0x03 is Ctrl-C and kills the running agent (ioto-contracts.md §9).
       */
      framed: z.boolean().optional(),
    })
    .strict(),
);
export type ClaimIdWatchRequest = z.output<typeof claimIdWatchRequest>;

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

const sourceRequest = lazySchema(() => z.object({ sourceId }).strict());

export const devStoreOperations = {
  openDeviceDatabase: op('devstore:open-database', openDeviceDatabaseRequest).returns<DeviceStoreReport>(),
  openDeviceMqtt: op('devstore:open-mqtt', openDeviceMqttRequest).returns<DeviceStoreReport>(),
  openDeviceSerial: op('devstore:open-serial', openDeviceSerialRequest).returns<DeviceStoreReport>(),
  listDeviceStores: op('devstore:list', noArgs).returns<DeviceStoreReport[]>(),
  closeDeviceStore: op('devstore:close', sourceRequest).returns<{ closed: boolean }>(),
  listDeviceItems: op('devstore:list-items', listDeviceItemsRequest).returns<DeviceItemsPageReport>(),
  getDeviceItem: op(
    'devstore:get-item',
    lazySchema(() => z.object({ sourceId, model: modelName, sk: z.string().min(1).max(2000) }).strict()),
  ).returns<DeviceItemDetailReport>(),
  setDeviceItem: op('devstore:set-item', setDeviceItemRequest).returns<DeviceItemRow>(),
  /** MQTT: asks the device to report these keys now (the only way to see an idle device's items). */
  askDeviceItems: op('devstore:ask-items', askDeviceItemsRequest).returns<AskDeviceItemsReport>(),
  getDeviceTraffic: op('devstore:get-traffic', sourceRequest).returns<DeviceTrafficEntry[]>(),
  exportDeviceStore: op('devstore:export', exportDeviceStoreRequest).returns<DeviceStoreExportReport>(),
  listSerialPorts: op('devstore:list-serial-ports', noArgs).returns<SerialPortEntry[]>(),
  /**
   * Starts watching a port's console; the job's result is a ClaimIdReport. While it runs, the job's
   * `done` is the number of bytes the board has sent so far (`total` 0).
   */
  watchClaimId: op('devstore:watch-claim-id', claimIdWatchRequest).returns<JobStartedReport>(),
  claimIdCard: op(
    'devstore:claim-id-card',
    lazySchema(() => z.object({ claimId }).strict()),
  ).returns<ClaimIdReport>(),
  /** The claim page link; `{claimId}` is replaced by the ID. */
  getClaimUrlTemplate: op('devstore:get-claim-url-template', noArgs).returns<{ template: string }>(),
  setClaimUrlTemplate: op(
    'devstore:set-claim-url-template',
    lazySchema(() =>
      z
        .object({
          template: z
            .string()
            .max(500)
            .regex(/^https:\/\/\S*\{claimId\}\S*$/, 'An https:// link that contains {claimId}'),
        })
        .strict(),
    ),
  ).returns<{ template: string }>(),
};

export type DevStoreOps = OpsOf<typeof devStoreOperations>;
export const devStoreChannels = channelsOf(devStoreOperations);
export const devStoreSchemas = schemasOf(devStoreOperations);
