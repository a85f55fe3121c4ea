import { z } from 'zod';
import type { ReportsOps } from '../../shared/contract';
import type { SchemaMap } from './types';

const iso = z.iso.datetime({ offset: true, error: 'a time like 2026-11-21T06:00:00Z' });
const request = {
  from: iso.optional(),
  to: iso.optional(),
  hours: z
    .number()
    .positive()
    .max(24 * 31)
    .optional(),
  station: z.string().trim().min(1).max(120).optional(),
  orderId: z.string().trim().min(1).max(40).optional(),
  bucketMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .optional(),
};

export const reportsSchemas = {
  getShiftReport: z.object(request).strict(),
  exportShiftReport: z.object({ ...request, format: z.enum(['csv', 'json', 'pdf']) }).strict(),
} satisfies SchemaMap<ReportsOps>;
