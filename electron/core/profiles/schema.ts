import { z } from 'zod';
import { esp32SectionSchema } from '../esp32/profile';
import type { TransportSettings } from '../transport/types';
import { codePoint, controlCharAt } from '../transport/shell/commands';
import { CROCKFORD, DEFAULT_ID_LENGTH, MAX_ID_LENGTH, alphabetProblems, entropyBits } from '../ids';

/**
 * The factory profile: one JSON5 file per product. Top-level keys are strict (a typo is an error
 * with a hint); the sections later issues own (`transport`, `label`, `cloud`, `certificate`) check
 * their basic shape and let unknown keys through, so those issues can extend them.
 */
export const PRODUCT_PLACEHOLDER = 'PUT-YOUR-PRODUCT-ID-HERE';
/** A ULID: 26 letters of Crockford base 32. */
export const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
/** Placeholders a device template may use in its string values. */
export const PLACEHOLDERS = ['id', 'created', 'serial', 'order', 'name', 'model'] as const;
/** Keys Lineside writes itself in device.json5: a template may not set them. */
export const RENDERED_KEYS = [
  'product',
  'id',
  'name',
  'model',
  'description',
  'test',
  'created',
  'account',
  'cloud',
] as const;

const text = z.string().trim().min(1, 'must not be empty');

export const idPolicySchema = z
  .strictObject({
    alphabet: z.string().default(CROCKFORD),
    length: z.number().int().min(1).max(MAX_ID_LENGTH).default(DEFAULT_ID_LENGTH),
    checkSymbol: z.boolean().default(false),
  })
  .superRefine((p, ctx) => {
    for (const problem of alphabetProblems(p.alphabet))
      ctx.addIssue({ code: 'custom', path: ['alphabet'], message: `The alphabet ${problem}.` });
    if (p.checkSymbol && p.alphabet !== CROCKFORD)
      ctx.addIssue({
        code: 'custom',
        path: ['checkSymbol'],
        message: "A check symbol needs the Crockford alphabet (Crockford's mod-37 scheme).",
        params: { hint: `remove \`alphabet\` or set it to '${CROCKFORD}'` },
      });
    if (p.checkSymbol && p.length + 1 > MAX_ID_LENGTH)
      ctx.addIssue({
        code: 'custom',
        path: ['length'],
        message: `With the check symbol an ID has ${p.length + 1} characters; the agent accepts at most ${MAX_ID_LENGTH}.`,
        params: { hint: `use a length of at most ${MAX_ID_LENGTH - 1}` },
      });
  });

export type IdPolicySection = z.output<typeof idPolicySchema>;

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

/** What the vendor's older docs call things, and what the agent really reads. */
export const OLD_NAMES: Record<string, string> = { productToken: 'product', claim: 'id', claimId: 'id' };

export const deviceTemplateSchema = z.record(z.string(), jsonValue).superRefine((t, ctx) => {
  for (const key of Object.keys(t)) {
    if (Object.hasOwn(OLD_NAMES, key))
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `\`${key}\` is what old docs say; the agent reads \`${OLD_NAMES[key]}\`, and would send this as a free property.`,
        params: {
          hint:
            OLD_NAMES[key] === 'product'
              ? 'set `product` at the top level of the profile'
              : 'remove it: Lineside writes `id` from the claim-ID policy under `ids`',
        },
      });
    if ((RENDERED_KEYS as readonly string[]).includes(key))
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `\`${key}\` is written by Lineside from the profile, not taken from the template.`,
        params: {
          hint:
            key === 'id'
              ? 'set the claim-ID policy under `ids`'
              : `set \`${key}\` at the top level of the profile`,
        },
      });
  }
  const walk = (v: unknown, path: (string | number)[]) => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g))
        if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!))
          ctx.addIssue({
            code: 'custom',
            path,
            message: `Unknown placeholder {{${m[1]}}}.`,
            params: { hint: `use one of ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}` },
          });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(t, []);
});

/**
 * Text the shell transport types into a unit's console as it is (paths, post-commands, login): no
 * control character, since the tty acts on it before the shell sees any quoting (ioto-contracts
 * section 9). Template values and serials travel base64-encoded, so they may hold anything.
 */
const consoleText = (base: z.ZodString) =>
  base.superRefine((v, ctx) => {
    const at = controlCharAt(v);
    if (at >= 0)
      ctx.addIssue({
        code: 'custom',
        message: `This value holds the control character ${codePoint(v[at]!)} at character ${at + 1}: a unit's console acts on it before the shell sees any quoting, so it could run other commands.`,
        params: { hint: 'remove it: values typed into a console may hold printable characters only' },
      });
  });

/** The fields of TransportSettings (electron/core/transport/types.ts); unknown keys pass. */
export const transportSchema = z.looseObject({
  kind: z.enum(['shell', 'framed', 'esp32']),
  baudRate: z.number().int().positive(),
  deviceDir: consoleText(text),
  login: z.looseObject({ user: consoleText(z.string()), password: consoleText(z.string()) }).optional(),
  postCommands: z.array(consoleText(z.string())).optional(),
  timeoutMs: z.number().int().positive().optional(),
});

export const labelSchema = z.looseObject({
  template: z.string().optional(),
  widthMm: z.number().positive().optional(),
  heightMm: z.number().positive().optional(),
});

export const cloudSchema = z.looseObject({
  builder: z.url({ protocol: /^https?$/ }).optional(),
  /** With `cloud`: the device claims itself into this account when it registers (pre-claimed). */
  account: text.optional(),
  cloud: text.optional(),
});

export const certificateSchema = z.looseObject({
  validityDays: z.number().int().positive().optional(),
});

export const productSchema = z
  .string()
  .trim()
  .refine((v) => v !== PRODUCT_PLACEHOLDER, {
    message: `\`product\` is still the placeholder ${PRODUCT_PLACEHOLDER}: the agent refuses to start with it.`,
    params: { hint: 'paste the product token from the cloud builder (Products page)' },
  })
  .refine((v) => v === PRODUCT_PLACEHOLDER || ULID.test(v), {
    message: '`product` must be the 26-character product token (a ULID) from the cloud builder.',
    params: { hint: 'copy it again from the builder; it looks like 01H4R15D3478JD26YDYK408XE6' },
  });

export const profileSchema = z.strictObject({
  product: productSchema,
  name: text,
  model: text,
  description: z.string().default(''),
  test: z.boolean().default(false),
  ids: idPolicySchema.default({ alphabet: CROCKFORD, length: DEFAULT_ID_LENGTH, checkSymbol: false }),
  device: deviceTemplateSchema.default({}),
  transport: transportSchema.optional(),
  label: labelSchema.optional(),
  cloud: cloudSchema.optional(),
  certificate: certificateSchema.optional(),
  /**
   * Serials that unprovisioned units report by default (e.g. a firmware's built-in SIM-0001): the
   * station treats them as "no serial", so two such units are never taken for one.
   */
  placeholderSerials: z.array(text).optional(),
  /** ESP32 units (transport kind `esp32`): state folder, partition, chip, baud, reset (electron/core/esp32/profile.ts). */
  esp32: esp32SectionSchema.optional(),
});

/** A validated factory profile (defaults applied). */
export type Profile = z.output<typeof profileSchema>;

export const KNOWN_TOP_LEVEL_KEYS = Object.keys(profileSchema.shape);

// The transport section is what the station run hands to a DeviceSession: keep them in step.
type TransportFits = NonNullable<Profile['transport']> extends TransportSettings ? true : never;
export const transportSectionFitsTransportSettings: TransportFits = true;

/** Entropy of a validated profile's ID policy, in bits. */
export function profileEntropy(profile: Pick<Profile, 'ids'>): number {
  return entropyBits(profile.ids);
}
