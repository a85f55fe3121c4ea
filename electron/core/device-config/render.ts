/**
 * device.json5: the unit's identity file, rendered from the profile version and the unit.
 * Deterministic (same input, same bytes): fixed keys in a fixed order, then the template's free
 * properties in the profile's order. Double-quoted strings and identifier keys, no trailing commas,
 * so the agent's relaxed parser, the strict `json5` package (and, comments aside, JSON) all load it.
 */
import { Failure } from '../failure';
import { PLACEHOLDERS, PRODUCT_PLACEHOLDER, type Profile } from '../profiles';

export interface RenderUnit {
  claimId: string;
  serial: string | null;
  orderId: string | null;
  /** The real manufacture time (ISO 8601). */
  created: string;
}

export interface RenderProfileVersion {
  /** The profile's name and version hash, for the header comment. */
  name: string;
  hash: string;
  profile: Pick<Profile, 'name' | 'model' | 'description' | 'test' | 'device'> & {
    product?: string | null;
    cloud?: Profile['cloud'];
  };
}

const CLAIM_ID = /^[0-9A-Z]{1,20}$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function key(k: string): string {
  return IDENTIFIER.test(k) ? k : JSON.stringify(k);
}

function literal(value: unknown, indent: string): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return JSON.stringify(value);
  if (typeof value === 'string') return JSON.stringify(value);
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + literal(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${literal(v, inner)}`).join(',\n')}\n${indent}}`;
}

function fill(value: unknown, vars: Record<string, string | null>): unknown {
  if (typeof value === 'string')
    return value.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_m, name: string) => {
      if (!(PLACEHOLDERS as readonly string[]).includes(name))
        throw new Failure('validation', `The device template uses an unknown placeholder {{${name}}}.`);
      const v = vars[name];
      if (v === null || v === undefined)
        throw new Failure(
          'validation',
          `The device template uses {{${name}}} but this unit has no ${name}. Assign it first.`,
        );
      return v;
    });
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
  return value;
}

export function renderDeviceJson5(version: RenderProfileVersion, unit: RenderUnit): string {
  const p = version.profile;
  const product = p.product?.trim() ?? '';
  if (!product)
    throw new Failure(
      'validation',
      'The profile has no `product` token: the agent refuses to start without it. Set it in the profile.',
    );
  if (product === PRODUCT_PLACEHOLDER)
    throw new Failure(
      'validation',
      `The profile's \`product\` is still the placeholder ${PRODUCT_PLACEHOLDER}: the agent refuses it. Paste the real product token.`,
    );
  if (!CLAIM_ID.test(unit.claimId))
    throw new Failure(
      'validation',
      `Claim ID "${unit.claimId}" cannot be written: the agent needs 1 to 20 characters of 0-9 and A-Z.`,
      { field: 'claimId' },
    );
  if (Number.isNaN(Date.parse(unit.created)))
    throw new Failure('validation', `"${unit.created}" is not a manufacture time (ISO 8601).`, {
      field: 'created',
    });
  const vars = {
    id: unit.claimId,
    created: unit.created,
    serial: unit.serial,
    order: unit.orderId,
    name: p.name,
    model: p.model,
  };
  const fixed: Record<string, unknown> = {
    product,
    id: unit.claimId,
    name: p.name,
    model: p.model,
    description: p.description,
    test: p.test,
    created: unit.created,
  };
  // Pre-claimed: the device claims itself into this account and cloud when it registers.
  if (p.cloud?.account && p.cloud.cloud) {
    fixed.account = p.cloud.account;
    fixed.cloud = p.cloud.cloud;
  }
  const free = fill(p.device, vars) as Record<string, unknown>;
  const header = `// device.json5 for ${unit.claimId}: written by Lineside from profile ${version.name}@${version.hash.slice(0, 12)}\n`;
  return header + literal({ ...fixed, ...free }, '') + '\n';
}

/**
 * Replaces every copy of the product token, and anything shaped like one (a ULID: also under an old
 * key such as `productToken`), with its masked form: for any text the renderer will show.
 */
export function maskTokensIn(text: string, token?: string | null): string {
  const masked = token && token.length > 8 ? text.split(token).join(maskToken(token)) : text;
  return masked.replace(/\b[0-7][0-9A-HJKMNP-TV-Z]{25}\b/g, (t) => maskToken(t));
}

/** The product token as people may see it: first 4 and last 4 characters. */
export function maskToken(token: string): string {
  if (token.length <= 8) return '•'.repeat(token.length);
  return `${token.slice(0, 4)}${'•'.repeat(token.length - 8)}${token.slice(-4)}`;
}
