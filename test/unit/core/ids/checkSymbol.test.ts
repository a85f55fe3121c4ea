import { describe, expect, it } from 'vitest';
import { CROCKFORD, checkSymbolOf, checkTypedId, type IdPolicy } from '../../../../electron/core/ids';

const policy: IdPolicy = { alphabet: CROCKFORD, length: 10, checkSymbol: true };

describe("Crockford's mod-37 check symbol", () => {
  it("draws from Crockford's alphabet: digits and letters without I, L, O and U", () => {
    expect(CROCKFORD).toBe('0123456789ABCDEFGHJKMNPQRSTVWXYZ');
  });

  it('matches the scheme: the value modulo 37', () => {
    // "16J" is 1234 in Crockford base 32; 1234 mod 37 = 13 -> "D".
    expect(checkSymbolOf('16J')).toBe('D');
    expect(checkSymbolOf('0')).toBe('0');
    // 32..36 use the extra symbols.
    expect(checkSymbolOf('10')).toBe('*'); // 32
    expect(checkSymbolOf('14')).toBe('U'); // 36
  });

  it('catches every single mistyped character and every swap of neighbours', () => {
    const id = 'M72DANY8BZ';
    const typed = id + checkSymbolOf(id);
    expect(checkTypedId(typed, policy).ok).toBe(true);
    for (let i = 0; i < id.length; i++) {
      for (const c of CROCKFORD) {
        if (c === id[i]) continue;
        const wrong = id.slice(0, i) + c + id.slice(i + 1) + typed[10];
        expect(checkTypedId(wrong, policy).ok, wrong).toBe(false);
      }
      if (i + 1 < id.length && id[i] !== id[i + 1]) {
        const swapped = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2) + typed[10];
        expect(checkTypedId(swapped, policy).ok, swapped).toBe(false);
      }
    }
  });

  it('reads people-typed IDs kindly and says which character is wrong when it can', () => {
    const id = 'M72DANY8B0';
    const typed = id + checkSymbolOf(id);
    expect(checkTypedId(typed.toLowerCase().replace('0', 'o'), policy)).toMatchObject({
      ok: true,
      normalized: typed,
    });
    expect(checkTypedId(`${typed.slice(0, 5)}-${typed.slice(5)}`, policy).ok).toBe(true);
    expect(checkTypedId('M72DUNY8B0' + typed[10], policy)).toMatchObject({
      ok: false,
      position: 5,
      problem: 'Character 5 ("U") is not used in claim IDs: check it against the label.',
    });
    expect(checkTypedId(typed.slice(0, 9), policy).problem).toMatch(
      /11 characters; this has 9: a character is missing/,
    );
    const mistyped = 'M72DANY8BZ' + typed[10];
    expect(checkTypedId(mistyped, policy).problem).toMatch(/check symbol does not match/);
  });

  it('checks letters and length without a check symbol', () => {
    const plain: IdPolicy = { alphabet: '0123456789', length: 6, checkSymbol: false };
    expect(checkTypedId('123456', plain).ok).toBe(true);
    expect(checkTypedId('12A456', plain)).toMatchObject({ ok: false, position: 3 });
  });
});
