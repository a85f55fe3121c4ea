import { z } from 'zod';
import type { ProfilesOps } from '../../shared/contract';
import { noArgs } from './common';
import type { SchemaMap } from './types';

const profileName = z.string().trim().min(1, 'choose a profile').max(120);

export const profilesSchemas = {
  listProfiles: noArgs,
  checkProfile: z.object({ text: z.string().max(1_000_000), file: z.string().max(500).optional() }).strict(),
  previewDeviceConfig: z
    .object({
      profile: profileName,
      claimId: z.string().trim().min(1).max(40).optional(),
      serial: z.string().trim().min(1).max(80).optional(),
      orderId: z.string().trim().min(1).max(40).optional(),
    })
    .strict(),
  setEntropyFloor: z.object({ bits: z.number().min(0).max(200) }).strict(),
} satisfies SchemaMap<ProfilesOps>;
