import { z } from 'zod';
import type { UnitsOps } from '../../shared/contract';
import { claimIdArg, cursorArg } from './common';
import type { SchemaMap } from './types';

export const unitsSchemas = {
  listUnits: z
    .object({
      prefix: z.string().max(40).optional(),
      cursor: cursorArg,
      limit: z.number().int().min(1).max(500).optional(),
    })
    .strict(),
  getUnit: z.object({ claimId: claimIdArg }).strict(),
} satisfies SchemaMap<UnitsOps>;
