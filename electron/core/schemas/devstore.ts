import { z } from 'zod';
import type { DevStoreOps } from '../../shared/contract';
import { consoleTextArg, noArgs } from './common';
import type { SchemaMap } from './types';

const sourceId = z.string().min(1).max(100);
const pathArg = z.string().min(1).max(4096);
const pemArg = z
  .string()
  .min(1)
  .max(64 * 1024);
const claimId = z.string().regex(/^[0-9A-Z]{1,20}$/, 'A claim ID is 1 to 20 characters of 0-9 and A-Z');

const storeKey = z.string().min(1).max(200);

export const devStoreSchemas = {
  openDeviceDatabase: z
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
      name: z.string().max(200).optional(),
      stream: z.boolean().optional(),
    })
    .strict(),
  openDeviceMqtt: z
    .object({
      url: z
        .string()
        .regex(/^(mqtts?|wss?):\/\/\S+$/, 'A broker URL starts with mqtt://, mqtts://, ws:// or wss://'),
      claimId,
      certPath: pathArg.optional(),
      keyPath: pathArg.optional(),
      caPath: pathArg.optional(),
      certPem: pemArg.optional(),
      keyPem: pemArg.optional(),
      caPem: pemArg.optional(),
      timeoutMs: z.number().int().min(100).max(600_000).optional(),
      keys: z.array(storeKey).min(1).max(200).optional(),
      waitForDevice: z.boolean().optional(),
    })
    .strict(),
  askDeviceItems: z.object({ sourceId, keys: z.array(storeKey).min(1).max(200) }).strict(),
  openDeviceSerial: z
    .object({
      path: pathArg,
      transport: z.enum(['shell', 'framed', 'esp32']),
      deviceDir: consoleTextArg(1000).optional(),
      reset: z.enum(['classic', 'usb-jtag', 'none']).optional(),
      flashBaud: z.number().int().min(9600).max(4_000_000).optional(),
      partitionLabel: z.string().min(1).max(16).optional(),
      baudRate: z.number().int().min(300).max(4_000_000).optional(),
      method: z.enum(['auto', 'files', 'db-tool']).optional(),
      login: z
        .object({ user: consoleTextArg(200).min(1), password: consoleTextArg(200) })
        .strict()
        .optional(),
      timeoutMs: z.number().int().min(100).max(600_000).optional(),
    })
    .strict(),
  listDeviceStores: noArgs,
  closeDeviceStore: z.object({ sourceId }).strict(),
  listDeviceItems: z
    .object({
      sourceId,
      model: z.string().min(1).max(200),
      search: z.string().max(200).optional(),
      type: z.string().max(40).optional(),
      sort: z.enum(['key', 'value', 'type', 'updated']).optional(),
      descending: z.boolean().optional(),
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
  getDeviceItem: z
    .object({ sourceId, model: z.string().min(1).max(200), sk: z.string().min(1).max(2000) })
    .strict(),
  setDeviceItem: z
    .object({
      sourceId,
      key: z.string().min(1).max(200),
      value: z.string().max(64 * 1024),
      type: z.enum(['string', 'number', 'boolean', 'object']),
    })
    .strict(),
  getDeviceTraffic: z.object({ sourceId }).strict(),
  exportDeviceStore: z
    .object({ sourceId, model: z.string().min(1).max(200).optional(), format: z.enum(['json', 'csv']) })
    .strict(),
  listSerialPorts: noArgs,
  watchClaimId: z
    .object({
      path: pathArg,
      baudRate: z.number().int().min(300).max(4_000_000).optional(),
      timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
      askAfterMs: z.number().int().min(0).max(600_000).optional(),
      framed: z.boolean().optional(),
    })
    .strict(),
  claimIdCard: z.object({ claimId }).strict(),
  getClaimUrlTemplate: noArgs,
  setClaimUrlTemplate: z
    .object({
      template: z
        .string()
        .max(500)
        .regex(/^https:\/\/\S*\{claimId\}\S*$/, 'An https:// link that contains {claimId}'),
    })
    .strict(),
} satisfies SchemaMap<DevStoreOps>;
