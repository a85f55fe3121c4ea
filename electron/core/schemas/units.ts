import { z } from 'zod';
import type { UnitsOps } from '../../shared/contract';
import { claimIdArg, cursorArg } from './common';
import type { SchemaMap } from './types';

export const unitsSchemas = {
  listUnits: z
    .object({
      prefix: z.string().max(40).optional(),
      query: z.string().max(80).optional(),
      state: z
        .enum(['reserved', 'assigned', 'written', 'verified', 'provisioned', 'failed', 'voided'])
        .optional(),
      hideReserved: z.boolean().optional(),
      cursor: cursorArg,
      limit: z.number().int().min(1).max(500).optional(),
    })
    .strict(),
  getUnit: z.object({ claimId: claimIdArg }).strict(),
} satisfies SchemaMap<UnitsOps>;
