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

/**
 * Text the shell transport types into a unit's console as it is (a device directory, a login): no
 * control character, which the tty would act on before the shell (ioto-contracts section 9).
 */
export const consoleTextArg = (max: number) =>
  z
    .string()
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), {
      message: "must not hold control characters: a unit's console would act on them",
    });
