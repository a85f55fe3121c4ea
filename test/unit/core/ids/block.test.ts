import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CROCKFORD, createIdGenerator, type IdPolicy } from '../../../../electron/core/ids';
import { sortedJsonArray } from '../../../../electron/core/orders/reserve';

/** Deterministic bytes: the same stream for both generators. */
function seeded(seed: string) {
  let counter = 0;
  return (size: number) => {
    const out = Buffer.alloc(size);
    for (let o = 0; o < size; o += 32)
      createHash('sha256')
        .update(`${seed}:${counter++}`)
        .digest()
        .copy(out, o, 0, Math.min(32, size - o));
    return out;
  };
}

describe('claim IDs drawn as a byte block', () => {
  const policies: IdPolicy[] = [
    { alphabet: CROCKFORD, length: 10, checkSymbol: false },
    { alphabet: CROCKFORD, length: 8, checkSymbol: true },
    { alphabet: 'ZYXWVU98765', length: 12, checkSymbol: false },
  ];
  for (const policy of policies)
    it(`draws exactly the IDs many() draws from the same bytes (${policy.alphabet.length} letters, check ${policy.checkSymbol})`, () => {
      const a = createIdGenerator(policy, seeded('x'));
      const b = createIdGenerator(policy, seeded('x'));
      for (const count of [1, 5000, 70_000]) {
        const strings = a.many(count);
        const { bytes, width } = b.block(count);
        expect(width).toBe(policy.length + (policy.checkSymbol ? 1 : 0));
        const fromBlock = Array.from({ length: count }, (_, k) =>
          Buffer.from(bytes.subarray(k * width, (k + 1) * width)).toString('latin1'),
        );
        expect(fromBlock).toEqual(strings);
        // And as the sorted JSON array json_each reads.
        expect(sortedJsonArray(bytes, width)).toBe(JSON.stringify([...strings].sort()));
      }
      expect(b.drawnBytes).toBe(a.drawnBytes);
    });
});
