/**
 * Claim-ID policies: which letters and how many. The agent embeds the ID unescaped in JSON bodies
 * and MQTT topics, so every alphabet is a subset of [0-9A-Z]; it accepts at most 20 characters.
 */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const DEFAULT_ID_LENGTH = 10;
export const MAX_ID_LENGTH = 20;
export const DEFAULT_ENTROPY_FLOOR = 50;

export interface IdPolicy {
  alphabet: string;
  length: number;
  /** Appends Crockford's mod-37 check symbol (Crockford alphabet only), for IDs people type. */
  checkSymbol: boolean;
}

/**
 * Bits of randomness in one ID: length × log2(alphabet size). The check symbol adds none, and costs
 * log2(37/33) because IDs whose symbol would fall outside [0-9A-Z] are drawn again.
 */
export function entropyBits(
  policy: Pick<IdPolicy, 'alphabet' | 'length'> & { checkSymbol?: boolean },
): number {
  const bits = policy.length * Math.log2(policy.alphabet.length);
  return policy.checkSymbol ? bits - Math.log2(37 / 33) : bits;
}

/** The number of distinct IDs a policy can draw (may exceed 2^53; use for comparisons only). */
export function idSpace(policy: Pick<IdPolicy, 'alphabet' | 'length'>): number {
  return Math.pow(policy.alphabet.length, policy.length);
}

/** Problems with an alphabet, in words; empty when it is usable. */
export function alphabetProblems(alphabet: string): string[] {
  const problems: string[] = [];
  const bad = [...new Set([...alphabet].filter((c) => !/[0-9A-Z]/.test(c)))];
  if (bad.length)
    problems.push(
      `uses ${bad.map((c) => JSON.stringify(c)).join(', ')}: claim IDs may only use 0-9 and A-Z (upper case)`,
    );
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const c of alphabet) (seen.has(c) ? repeated : seen).add(c);
  if (repeated.size) problems.push(`repeats ${[...repeated].join(', ')}: each letter may appear once`);
  if (seen.size < 2) problems.push('needs at least 2 different letters');
  return problems;
}
