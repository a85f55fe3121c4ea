import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CROCKFORD,
  alphabetProblems,
  createIdGenerator,
  entropyBits,
  checkSymbolOf,
} from '../../../../electron/core/ids';

/** Chi-square statistic of letter counts against the uniform distribution. */
function chiSquare(counts: Map<string, number>, alphabet: string, n: number): number {
  const expected = n / alphabet.length;
  let x = 0;
  for (const c of alphabet) x += ((counts.get(c) ?? 0) - expected) ** 2 / expected;
  return x;
}

/** Critical value at p = 0.0001 (Wilson–Hilferty): a fair generator fails 1 run in 10,000. */
function critical(df: number): number {
  const z = 3.719;
  return df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
}

function countLetters(ids: string[]): { counts: Map<string, number>; n: number } {
  const counts = new Map<string, number>();
  let n = 0;
  for (const id of ids)
    for (const c of id) {
      counts.set(c, (counts.get(c) ?? 0) + 1);
      n++;
    }
  return { counts, n };
}

describe('claim-ID generator', () => {
  it.each([
    ['Crockford base 32 (the default)', CROCKFORD],
    ['36 letters (not a power of two)', '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
    ['10 digits (not a power of two)', '0123456789'],
  ])('is uniform over %s: chi-square over 1,000,000 characters passes', (_name, alphabet) => {
    const gen = createIdGenerator({ alphabet, length: 10, checkSymbol: false }, randomBytes);
    const { counts, n } = countLetters(gen.many(100_000));
    expect(n).toBe(1_000_000);
    expect([...counts.keys()].sort().join('')).toBe([...alphabet].sort().join(''));
    expect(chiSquare(counts, alphabet, n)).toBeLessThan(critical(alphabet.length - 1));
  });

  it('the same chi-square test catches modulo bias (so passing it means something)', () => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const bytes = randomBytes(1_000_000);
    const biased = Array.from(bytes, (b) => alphabet[b % alphabet.length]!);
    const { counts, n } = countLetters(biased);
    expect(chiSquare(counts, alphabet, n)).toBeGreaterThan(critical(alphabet.length - 1) * 10);
  });

  it('rejects bytes above the largest multiple of the alphabet size instead of folding them', () => {
    // 36 letters: bytes 252..255 must be skipped, 0..251 map to b % 36.
    const feed = Buffer.from([252, 253, 254, 255, 0, 35, 36, 251]);
    const gen = createIdGenerator(
      { alphabet: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', length: 4, checkSymbol: false },
      (size) => Buffer.concat([feed, Buffer.alloc(size - feed.length)]),
    );
    expect(gen.next()).toBe('0Z0Z');
    expect(gen.drawnBytes).toBe(8);
  });

  it('appends a valid check symbol, and never one outside [0-9A-Z]', () => {
    const gen = createIdGenerator({ alphabet: CROCKFORD, length: 10, checkSymbol: true }, randomBytes);
    for (const id of gen.many(5000)) {
      expect(id).toMatch(/^[0-9A-Z]{11}$/);
      expect(checkSymbolOf(id.slice(0, 10))).toBe(id[10]);
    }
  });

  it('reports entropy in bits and what is wrong with an alphabet', () => {
    expect(entropyBits({ alphabet: CROCKFORD, length: 10 })).toBe(50);
    expect(entropyBits({ alphabet: '0123456789', length: 16 })).toBeCloseTo(53.15, 2);
    expect(alphabetProblems('ABCa-')).toEqual([
      'uses "a", "-": claim IDs may only use 0-9 and A-Z (upper case)',
    ]);
    expect(alphabetProblems('AAB')).toEqual(['repeats A: each letter may appear once']);
    expect(alphabetProblems('A')).toEqual(['needs at least 2 different letters']);
  });
});
