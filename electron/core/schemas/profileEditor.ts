import { z } from 'zod';
import type { ProfileEditorOps } from '../../shared/contract';
import type { SchemaMap } from './types';

const name = z.string().trim().min(1, 'name the profile').max(120);
const text = z.string().max(1_000_000, 'a profile is at most 1 MB of text');

export const profileEditorSchemas = {
  openProfileDraft: z.object({ name }).strict(),
  checkProfileDraft: z.object({ text, name: name.optional() }).strict(),
  saveProfileDraft: z.object({ name, text }).strict(),
} satisfies SchemaMap<ProfileEditorOps>;
