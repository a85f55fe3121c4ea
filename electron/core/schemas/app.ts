import { z } from 'zod';
import type { AppOps } from '../../shared/contract';
import { noArgs } from './common';
import type { SchemaMap } from './types';

const name = z.string().trim().min(1, 'must not be empty').max(80, 'at most 80 characters');

export const appSchemas = {
  getAppInfo: noArgs,
  getStationSettings: noArgs,
  updateStationSettings: z.object({ stationName: name.optional(), operator: name.optional() }).strict(),
} satisfies SchemaMap<AppOps>;
