import { z } from 'zod';
import type { LineOps } from '../../shared/contract';
import { noArgs } from './common';
import type { SchemaMap } from './types';

const orderId = z.string().trim().min(1, 'name an order').max(80);
const leaseId = z.string().trim().min(1, 'name a lease').max(80);

export const lineSchemas = {
  getLineStatus: noArgs,
  connectLine: z.object({ url: z.string().trim().min(1, 'enter the line database URL').max(2000) }).strict(),
  disconnectLine: noArgs,
  setLineSettings: z
    .object({
      blockSize: z.number().int().min(1, 'lease at least 1 ID at a time').max(100_000),
      lowWater: z.number().int().min(0).max(100_000),
    })
    .strict(),
  getLineReport: z.object({ orderId }).strict(),
  exportLineReport: z.object({ orderId, format: z.enum(['csv', 'json']) }).strict(),
  listLineLeases: z.object({ orderId: orderId.optional() }).strict(),
  returnLineLease: z.object({ leaseId, force: z.boolean().optional() }).strict(),
  voidLineLease: z.object({ leaseId }).strict(),
} satisfies SchemaMap<LineOps>;
