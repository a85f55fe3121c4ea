import { z } from 'zod';
import type { SerializeOps } from '../../shared/contract';
import { noArgs } from './common';
import type { SchemaMap } from './types';

const orderId = z.string().trim().min(1, 'name an order').max(80);
const cidr = z.string().trim().min(1).max(64);

export const serializeSchemas = {
  getSerializeStatus: noArgs,
  startSerialize: z
    .object({
      orderId: orderId.optional(),
      productRef: z.string().min(1).max(80).optional(),
      host: z.string().trim().min(1).max(64).optional(),
      port: z.number().int().min(0).max(65535).optional(),
      path: z
        .string()
        .trim()
        .regex(/^\/[A-Za-z0-9._~/-]*$/, 'a path like /serialize')
        .max(200)
        .optional(),
      allow: z.array(cidr).min(1, 'allow at least one network').max(64).optional(),
      printLabels: z.boolean().optional(),
    })
    .strict(),
  stopSerialize: noArgs,
} satisfies SchemaMap<SerializeOps>;
