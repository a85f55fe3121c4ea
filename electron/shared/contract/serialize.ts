import type { ProductTokenSummary } from './cloud';
import * as z from 'zod';
import { noArgs } from './fields';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';

/**
 * The serialization service (ioto-contracts §3): devices in factory mode ask the station for their
 * claim ID. Off by default; every answer is journaled. Nothing here carries a product token.
 */
export interface SerializeJournalEntry {
  id: number;
  at: string;
  remote: string;
  status: number;
  claimId: string | null;
  orderId: string | null;
  reason: string | null;
  /** The device's request body, with its product token replaced by a fingerprint. */
  body: string;
}

/**
 * Requests refused before they were read (outside the allowed networks, wrong method or path, too
 * large), counted per source, status and minute: a flood grows a counter, not the journal.
 */
export interface SerializeRefusalReport {
  windowStart: string;
  /** The source address, or `others` once a minute has seen 100 distinct sources. */
  remote: string;
  status: number;
  count: number;
  firstAt: string;
  lastAt: string;
  /** Method, path and reason of the first refusal in the window; never a body. */
  sample: string;
}

export interface SerializeSettings {
  host: string;
  port: number;
  path: string;
  /** Source networks allowed to ask, as CIDR (`127.0.0.0/8`, `10.1.2.0/24`, `::1/128`). */
  allow: string[];
  /** Print each issued ID's label right away (the device got its identity without a station read-back). */
  printLabels: boolean;
}

export interface SerializeStatusReport {
  running: boolean;
  url: string | null;
  settings: SerializeSettings;
  orderId: string | null;
  product: ProductTokenSummary | null;
  lastRequests: SerializeJournalEntry[];
  /**
   * Devices that keep asking with another product token than the order's: the agent retries every
   * 2 s forever, so a misconfigured unit shows here with its count (since the service started).
   */
  wrongProduct: SerializeWrongProductDevice[];
  refusals: SerializeRefusalReport[];
}

export interface SerializeWrongProductDevice {
  /** The requesting address. */
  remote: string;
  /** What the device's device.json5 says it is, when it says. */
  name: string | null;
  model: string | null;
  /** Answers refused for the product token. */
  count: number;
  firstAt: string;
  lastAt: string;
}

export const startSerializeRequest = lazySchema(
  () =>
    z
      .object({
        /** Default: the station's active work order. */
        orderId: z.string().trim().min(1, 'name an order').max(80).optional(),
        /** Default: the product token of that order's profile. */
        productRef: z.string().min(1).max(80).optional(),
        host: z.string().trim().min(1).max(64).optional(),
        port: z.number().int().min(0).max(65535).optional(),
        path: z
          .string()
          .trim()
          .regex(/^\/[A-Za-z0-9._~/-]*$/, 'a path like /serialize')
          .max(200)
          .optional(),
        allow: z
          .array(z.string().trim().min(1).max(64))
          .min(1, 'allow at least one network')
          .max(64)
          .optional(),
        printLabels: z.boolean().optional(),
      })
      .strict() satisfies z.ZodType<Partial<SerializeSettings>, unknown>,
);
export type StartSerializeRequest = z.output<typeof startSerializeRequest>;

export const serializeOperations = {
  getSerializeStatus: op('serialize:get-status', noArgs).returns<SerializeStatusReport>(),
  startSerialize: op('serialize:start', startSerializeRequest).returns<SerializeStatusReport>(),
  stopSerialize: op('serialize:stop', noArgs).returns<SerializeStatusReport>(),
};

export type SerializeOps = OpsOf<typeof serializeOperations>;
export const serializeChannels = channelsOf(serializeOperations);
export const serializeSchemas = schemasOf(serializeOperations);
