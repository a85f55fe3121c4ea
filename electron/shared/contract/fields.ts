/**
 * Schema pieces several namespaces share. Their messages are what a technician reads next to a
 * field (the renderer shows them too), so they say what to enter, in a few words.
 */
import * as z from 'zod';
import { lazySchema } from './types';

/** Operations without arguments accept nothing, null or `{}` and pass `undefined` on. */
export const noArgs = lazySchema(() =>
  z.union([z.undefined(), z.null(), z.object({}).strict()]).transform((): void => undefined),
);

export const claimIdArg = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1, 'enter a claim ID')
    .max(40, 'a claim ID has at most 20 characters (40 with grouping)'),
);

export const cursorArg = lazySchema(() => z.string().max(200).nullable().optional());

/** A unit's lifecycle state (listed here so filters and the store agree). */
export const unitStateSchema = lazySchema(() =>
  z.enum(['reserved', 'assigned', 'written', 'verified', 'provisioned', 'failed', 'voided']),
);

/** A serial number's longest form: longer is a scanner glitch, not a label. */
export const SERIAL_MAX = 64;
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * Text the shell transport types into a unit's console as it is (a device directory, a login): no
 * control character, which the tty would act on before the shell (ioto-contracts section 9).
 */
export const consoleTextArg = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !CONTROL_CHARS.test(v), {
      message: "must not hold control characters: a unit's console would act on them",
    });

/** A serial port's console login, for the shell transport. */
export const consoleLogin = lazySchema(() =>
  z.object({ user: consoleTextArg(200).min(1), password: consoleTextArg(200) }).strict(),
);

export const serialTransport = lazySchema(() => z.enum(['shell', 'framed', 'esp32']));
export const esp32Reset = lazySchema(() => z.enum(['classic', 'usb-jtag', 'none']));
export const brokerUrl = lazySchema(() =>
  z.string().regex(/^(mqtts?|wss?):\/\/\S+$/, 'A broker URL starts with mqtt://, mqtts://, ws:// or wss://'),
);

export const exportFormat = lazySchema(() => z.enum(['csv', 'json']));
