import type { RandomBytes } from '../clock';
import { alphabetProblems, CROCKFORD, type IdPolicy } from './alphabet';
import { appendCheckSymbol, CHECK_SYMBOLS } from './checkSymbol';

export interface IdGenerator {
  /** One fresh ID (check symbol included when the policy asks for it). */
  next(): string;
  /** `count` fresh IDs; duplicates among them are possible and are the caller's to handle. */
  many(count: number): string[];
  /**
   * `count` fresh IDs as one block of ASCII bytes, `width` per ID (check symbol included): the
   * same draws, in the same order, as `many` (so the same random bytes give the same IDs), without
   * making a string per ID. For bulk reservation.
   */
  block(count: number): { bytes: Uint8Array; width: number };
  /** Characters drawn so far (for tests of uniformity). */
  readonly drawnBytes: number;
}

const POOL = 64 * 1024;

/**
 * Draws IDs from the OS CSPRNG (or the injected `randomBytes`) by rejection sampling: a byte is
 * used only when it is below the largest multiple of the alphabet size that fits in 256, so every
 * letter is exactly equally likely (no modulo bias, whatever the alphabet size).
 */
export function createIdGenerator(policy: IdPolicy, randomBytes: RandomBytes): IdGenerator {
  const problems = alphabetProblems(policy.alphabet);
  if (problems.length) throw new Error(`Unusable claim-ID alphabet: ${problems.join('; ')}`);
  const size = policy.alphabet.length;
  const limit = 256 - (256 % size);
  const letters = [...policy.alphabet];
  let pool = randomBytes(POOL);
  let at = 0;
  let drawn = 0;

  function letter(): string {
    for (;;) {
      if (at >= pool.length) {
        pool = randomBytes(POOL);
        at = 0;
      }
      const b = pool[at++]!;
      drawn++;
      if (b < limit) return letters[b % size]!;
    }
  }

  function body(): string {
    let id = '';
    for (let i = 0; i < policy.length; i++) id += letter();
    return id;
  }

  // The agent wants [0-9A-Z]: an ID whose check symbol would be * ~ $ or = is drawn again.
  function nextWithCheck(): string {
    for (;;) {
      const id = appendCheckSymbol(body());
      if (/[0-9A-Z]$/.test(id)) return id;
    }
  }
  const next = policy.checkSymbol ? nextWithCheck : body;

  const codes = letters.map((l) => l.charCodeAt(0));
  // The letters' values in Crockford base 32, for the check symbol (checkSymbol.ts).
  const crockfordValue = letters.map((l) => CROCKFORD.indexOf(l));
  const checkCodes = [...CHECK_SYMBOLS].map((c) => c.charCodeAt(0));
  function block(count: number): { bytes: Uint8Array; width: number } {
    const length = policy.length;
    const width = length + (policy.checkSymbol ? 1 : 0);
    const bytes = new Uint8Array(count * width);
    for (let k = 0, o = 0; k < count; k++, o += width) {
      for (;;) {
        let mod = 0;
        for (let i = 0; i < length; i++) {
          let b: number;
          do {
            if (at >= pool.length) {
              pool = randomBytes(POOL);
              at = 0;
            }
            b = pool[at++]!;
            drawn++;
          } while (b >= limit);
          const v = b % size;
          bytes[o + i] = codes[v]!;
          if (policy.checkSymbol) {
            if (crockfordValue[v]! < 0)
              throw new Error(`${JSON.stringify(letters[v])} is not a Crockford base-32 letter`);
            mod = (mod * 32 + crockfordValue[v]!) % 37;
          }
        }
        if (!policy.checkSymbol) break;
        // As nextWithCheck: a symbol outside [0-9A-Z] (* ~ $ =) draws the whole ID again.
        if (mod < 32 || mod === 36) {
          bytes[o + length] = checkCodes[mod]!;
          break;
        }
      }
    }
    return { bytes, width };
  }

  return {
    next,
    many(count) {
      const out = new Array<string>(count);
      for (let i = 0; i < count; i++) out[i] = next();
      return out;
    },
    block,
    get drawnBytes() {
      return drawn;
    },
  };
}
