import { z } from 'zod';
import type { CloudOps } from '../../shared/contract';
import { claimIdArg, noArgs } from './common';
import type { SchemaMap } from './types';

const orderId = z.string().trim().min(1, 'name an order').max(80);

export const cloudSchemas = {
  getCloudStatus: noArgs,
  pauseCloudSender: noArgs,
  resumeCloudSender: noArgs,
  retryCloudRegistrations: z.object({ claimIds: z.array(claimIdArg).max(100_000).optional() }).strict(),
  getCloudReport: z.object({ orderId }).strict(),
  exportCloudReport: z.object({ orderId, format: z.enum(['csv', 'json']) }).strict(),
  storeProductToken: z
    .object({
      label: z.string().trim().min(1, 'give the token a name').max(80),
      token: z
        .string()
        .trim()
        .min(8, 'a product token is 26 characters')
        .max(200)
        .refine((t) => t !== 'PUT-YOUR-PRODUCT-ID-HERE', 'that is the placeholder, not a product token'),
    })
    .strict(),
  listProductTokens: noArgs,
} satisfies SchemaMap<CloudOps>;
