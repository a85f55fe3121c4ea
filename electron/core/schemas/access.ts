import { z } from 'zod';
import type { AccessOps } from '../../shared/contract';
import { noArgs } from './common';
import type { SchemaMap } from './types';

const pin = z.string().min(4, 'at least 4 characters').max(64, 'at most 64 characters');
const person = z.string().trim().min(1, 'must not be empty').max(80, 'at most 80 characters');

export const accessSchemas = {
  getAccessState: noArgs,
  setEngineerPin: z.object({ currentPin: z.string().max(64).optional(), pin }).strict(),
  lockStation: z.object({ pin: z.string().max(64) }).strict(),
  unlockStation: z.object({ pin: z.string().max(64) }).strict(),
  signInOperator: z
    .object({ badge: person.optional(), name: person.optional() })
    .strict()
    .refine((r) => (r.badge === undefined) !== (r.name === undefined), {
      message: 'scan a badge or type a name',
      path: ['name'],
    }),
  signOutOperator: noArgs,
} satisfies SchemaMap<AccessOps>;
