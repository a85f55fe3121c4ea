import { CROCKFORD, type IdPolicy } from './alphabet';

/**
 * Crockford's check symbol: the ID read as a base-32 number, modulo 37, written with the 32 letters
 * and five extra symbols. It catches every single mistyped letter and every swap of two neighbours.
 */
export const CHECK_SYMBOLS = CROCKFORD + '*~$=U';

export function checkSymbolOf(id: string): string {
  let mod = 0;
  for (const c of id) {
    const v = CROCKFORD.indexOf(c);
    if (v < 0) throw new Error(`${JSON.stringify(c)} is not a Crockford base-32 letter`);
    mod = (mod * 32 + v) % 37;
  }
  return CHECK_SYMBOLS[mod]!;
}

export function appendCheckSymbol(id: string): string {
  return id + checkSymbolOf(id);
}

export interface TypedIdCheck {
  /** The ID as stored (upper case, no separators, Crockford look-alikes mapped). */
  normalized: string;
  ok: boolean;
  /** One sentence for the person typing; null when ok. */
  problem: string | null;
  /** 1-based position of the wrong character, when it can be told. */
  position: number | null;
}

/** Crockford decoding is forgiving: lower case, and I/L read as 1, O as 0. */
function normalizeTyped(text: string, crockford: boolean): string {
  const upper = text.toUpperCase().replace(/[\s-]+/g, '');
  return crockford ? upper.replace(/[IL]/g, '1').replace(/O/g, '0') : upper;
}

/**
 * Checks an ID someone typed against the policy: letters, length and (when enabled) the check
 * symbol, and says which character is wrong when it can.
 */
export function checkTypedId(text: string, policy: IdPolicy): TypedIdCheck {
  const crockford = policy.alphabet === CROCKFORD;
  const normalized = normalizeTyped(text, crockford);
  const fail = (problem: string, position: number | null = null): TypedIdCheck => ({
    normalized,
    ok: false,
    problem,
    position,
  });
  const body = policy.checkSymbol ? normalized.slice(0, -1) : normalized;
  for (let i = 0; i < body.length; i++) {
    if (!policy.alphabet.includes(body[i]!))
      return fail(
        `Character ${i + 1} ("${body[i]}") is not used in claim IDs: check it against the label.`,
        i + 1,
      );
  }
  const want = policy.length + (policy.checkSymbol ? 1 : 0);
  if (normalized.length !== want)
    return fail(
      `A claim ID has ${want} characters; this has ${normalized.length}: a character is ${normalized.length < want ? 'missing' : 'extra'}.`,
    );
  if (policy.checkSymbol) {
    const typed = normalized.at(-1)!;
    if (!CHECK_SYMBOLS.includes(typed))
      return fail(
        `The last character ("${typed}") cannot be a check symbol: check it against the label.`,
        want,
      );
    if (checkSymbolOf(body) !== typed)
      return fail(
        'The check symbol does not match: one character is mistyped (or two are swapped). Read the label again.',
      );
  }
  return { normalized, ok: true, problem: null, position: null };
}
