import { z } from 'zod';

/** Operations without arguments accept nothing, null or `{}` and pass `undefined` on. */
export const noArgs = z
  .union([z.undefined(), z.null(), z.object({}).strict()])
  .transform((): void => undefined);

export const claimIdArg = z
  .string()
  .trim()
  .min(1, 'enter a claim ID')
  .max(40, 'a claim ID has at most 20 characters (40 with grouping)');

export const cursorArg = z.string().max(200).nullable().optional();
