import crypto from 'node:crypto';
import JSON5 from 'json5';
import type { z } from 'zod';
import type { ProfileProblemReport } from '../../shared/contract';
import { DEFAULT_ENTROPY_FLOOR, entropyBits } from '../ids';
import { MAX_DEPTH, locateJson5, positionOf, type LocateResult, type PathKey } from './locate';
import { KNOWN_TOP_LEVEL_KEYS, OLD_NAMES, idPolicySchema, profileSchema, type Profile } from './schema';

/** One problem at its line and column: the contract's report, as the checker builds it. */
export type ProfileProblem = ProfileProblemReport;

export interface ProfileCheck {
  /** The validated profile (defaults applied); null when there is any problem. */
  profile: Profile | null;
  problems: ProfileProblem[];
  /** sha256 of the exact text: the profile version a unit is made with. */
  hash: string;
}

export interface CheckOptions {
  file: string;
  /** Refuse ID policies under this many bits (default 50, the agent's own format). */
  entropyFloor?: number;
}

/** A profile is a page of JSON5; anything this large is not one. */
export const MAX_PROFILE_BYTES = 1024 * 1024;

export function hashProfileText(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

const UNKNOWN_KEY_HINTS: Record<string, string> = {
  productToken: 'old docs say `productToken`; the agent reads `product`',
  claim:
    'old docs say `claim`; the agent reads `id`, which Lineside draws per unit: set the policy under `ids`',
  claimId: "Lineside draws each unit's `id`: set the policy under `ids`",
  id: "Lineside draws each unit's `id`: set the policy under `ids`",
  created: 'Lineside writes the real manufacture time into `created` itself',
  serial: 'serial numbers come from the work order; use {{serial}} in `device` to write one',
  account: 'put `account` (and `cloud`) inside the `cloud` section',
  productName: 'the product name is `name`',
};

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
  return d[a.length]![b.length]!;
}

/** A lookup that never finds Object.prototype's members (`toString`, `constructor`, `__proto__`). */
export const own = (table: Record<string, string>, key: string): string | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

function unknownKeyHint(key: string, known: readonly string[], topLevel: boolean): string {
  const special = topLevel ? own(UNKNOWN_KEY_HINTS, key) : undefined;
  if (special) return special;
  const near = known.filter((k) => distance(k.toLowerCase(), key.toLowerCase()) <= 2);
  if (near.length) return `did you mean \`${near[0]}\`?`;
  return topLevel
    ? `free device properties go under \`device\`; the profile's keys are ${known.map((k) => `\`${k}\``).join(', ')}`
    : `known keys here: ${known.map((k) => `\`${k}\``).join(', ')}`;
}

function knownKeysAt(path: readonly PathKey[]): string[] {
  if (path.length === 0) return KNOWN_TOP_LEVEL_KEYS;
  if (path.length === 1 && path[0] === 'ids') return ['alphabet', 'length', 'checkSymbol'];
  return [];
}

const dotted = (path: readonly PathKey[]) => path.map(String).join('.');

const LANGUAGE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Paths of keys JavaScript treats specially, anywhere under `value` (depth is already bounded). */
function languageKeys(value: unknown, path: PathKey[]): PathKey[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => languageKeys(v, [...path, i]));
  if (!value || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((k) => [
    ...(LANGUAGE_KEYS.has(k) ? [[...path, k]] : []),
    ...languageKeys((value as Record<string, unknown>)[k], [...path, k]),
  ]);
}

function describeIssue(issue: z.core.$ZodIssue): { message: string; hint: string | null } {
  const where = issue.path.length ? `\`${dotted(issue.path as PathKey[])}\`` : 'The profile';
  const hint = (issue as { params?: { hint?: string } }).params?.hint ?? null;
  if (issue.code === 'custom') return { message: issue.message, hint };
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    const key = String(issue.path.at(-1));
    const hints: Record<string, string> = {
      product: 'paste the product token from the cloud builder (Products page)',
      name: 'the product name, as shown in the device manager',
      model: 'the model, e.g. TH-100',
    };
    return { message: `${where} is required.`, hint: own(hints, key) ?? null };
  }
  if (issue.code === 'invalid_type') return { message: `${where}: expected ${issue.expected}.`, hint };
  return {
    message: `${where}: ${issue.message.replace(/^Invalid input: /, '')}.`.replace(/\.\.$/, '.'),
    hint,
  };
}

/**
 * Checks one profile's text and reports every problem with its line, column and a hint: JSON5
 * syntax, unknown or missing keys, a bad product token, an unusable alphabet, entropy under the floor.
 */
export function checkProfileText(text: string, options: CheckOptions): ProfileCheck {
  const { file } = options;
  const floor = options.entropyFloor ?? DEFAULT_ENTROPY_FLOOR;
  const hash = hashProfileText(text);
  const problems: ProfileProblem[] = [];
  let raw: unknown;
  try {
    raw = JSON5.parse(text);
  } catch (error) {
    const e = error as SyntaxError & { lineNumber?: number; columnNumber?: number };
    problems.push({
      file,
      // json5 says column 0 for an error right after a line break: columns count from 1 here.
      line: Math.max(1, e.lineNumber ?? 1),
      column: Math.max(1, e.columnNumber ?? 1),
      path: '',
      message: `JSON5 syntax error: ${e.message.replace(/^JSON5: /, '').replace(/ at \d+:\d+$/, '')}.`,
      hint: 'look for a missing comma, quote, colon or closing bracket at or just before this point',
    });
    return { profile: null, problems, hash };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({
      file,
      line: 1,
      column: 1,
      path: '',
      message: 'A profile is one JSON5 object: { ... }.',
      hint: null,
    });
    return { profile: null, problems, hash };
  }
  const located: LocateResult = locateJson5(text);
  if (located.tooDeep) {
    problems.push({
      file,
      ...located.tooDeep,
      path: '',
      message: `The profile nests objects or arrays more than ${MAX_DEPTH} levels deep here; no profile needs that.`,
      hint: 'check for a runaway paste or unbalanced brackets',
    });
    return { profile: null, problems, hash };
  }
  // Looked for in the text as parsed: a schema's output object would have turned `__proto__` into
  // a prototype and lost it silently.
  for (const path of languageKeys((raw as { device?: unknown }).device, ['device']))
    problems.push({
      file,
      ...positionOf(located, path),
      path: dotted(path),
      message: `\`${String(path.at(-1))}\` cannot be a device property: programs that load device.json5 would read it as part of the language, not as data.`,
      hint: 'rename the property',
    });
  const parsed = profileSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path as PathKey[];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const at = positionOf(located, [...path, key]);
          const old = path.length === 0 ? own(OLD_NAMES, key) : undefined;
          problems.push({
            file,
            ...at,
            path: dotted([...path, key]),
            message: old ? `Unknown key \`${key}\`: the agent reads \`${old}\`.` : `Unknown key \`${key}\`.`,
            hint: unknownKeyHint(key, knownKeysAt(path), path.length === 0),
          });
        }
        continue;
      }
      const { message, hint } = describeIssue(issue);
      problems.push({ file, ...positionOf(located, path, 'value'), path: dotted(path), message, hint });
    }
  }
  // Checked on its own so an entropy problem shows up alongside the others.
  const idsParsed = idPolicySchema.safeParse((raw as { ids?: unknown }).ids ?? {});
  const ids = idsParsed.success ? idsParsed.data : null;
  if (ids) {
    const bits = entropyBits(ids);
    if (bits < floor) {
      const perChar = Math.log2(ids.alphabet.length);
      const need = Math.ceil(floor / perChar);
      problems.push({
        file,
        ...positionOf(located, located.has(JSON.stringify(['ids', 'length'])) ? ['ids', 'length'] : ['ids']),
        path: 'ids',
        message: `The claim-ID policy gives ${bits.toFixed(1)} bits of entropy; this station requires at least ${floor}.`,
        hint: `use a length of at least ${need} with this alphabet, or a larger alphabet`,
      });
    }
  }
  // An ESP32 unit's state image is built from the profile's esp32 section.
  const r = raw as { transport?: { kind?: unknown }; esp32?: unknown };
  if (r.transport?.kind === 'esp32' && r.esp32 === undefined)
    problems.push({
      file,
      ...positionOf(located, ['transport', 'kind'], 'value'),
      path: 'esp32',
      message: 'Transport `esp32` needs an `esp32` section naming the state folder.',
      hint: "add esp32: { stateDir: 'my-product-state', chip: 'esp32' } beside transport",
    });
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { profile: problems.length === 0 && parsed.success ? parsed.data : null, problems, hash };
}
