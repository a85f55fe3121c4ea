import type { RandomBytes } from '../clock';
import { alphabetProblems, type IdPolicy } from './alphabet';
import { appendCheckSymbol } from './checkSymbol';

export interface IdGenerator {
  /** One fresh ID (check symbol included when the policy asks for it). */
  next(): string;
  /** `count` fresh IDs; duplicates among them are possible and are the caller's to handle. */
  many(count: number): string[];
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

  return {
    next,
    many(count) {
      const out = new Array<string>(count);
      for (let i = 0; i < count; i++) out[i] = next();
      return out;
    },
    get drawnBytes() {
      return drawn;
    },
  };
}
