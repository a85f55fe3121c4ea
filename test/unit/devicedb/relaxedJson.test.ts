import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { parseRelaxedJson } from '../../../electron/core/devicedb/relaxedJson';

const samples = [
  `{sk:'s#mode',_type:'Store',key:'mode',value:'eco',type:'string'}`,
  `{"sk":"s#x","value":42,"nested":{"a":[1,2,{"b":null}]},"t":true,"f":false}`,
  `{ // comment\n key: 'it\\'s', other: "say \\"hi\\"", /* block */ n: -1.5e3, h: 0xFF, p: +7, d: .5, e: 5., }`,
  `{ inf: Infinity, neg: -Infinity, u: '\\u00e9\\n\\t', arr: [ ], obj: { }, trailing: [1,2,], }`,
  `{"__proto__": {"polluted": true}, x: 1}`,
];

describe('relaxed JSON reader', () => {
  it('reads what json5 reads, the same way', () => {
    for (const s of samples) expect(parseRelaxedJson(s)).toEqual(JSON5.parse(s));
    expect(Object.prototype).not.toHaveProperty('polluted');
    const nan = parseRelaxedJson('{v: NaN}') as { v: number };
    expect(Number.isNaN(nan.v)).toBe(true);
  });

  it('declines what it does not accept, so the caller can ask json5', () => {
    for (const bad of ['{', '{a:}', "{a:'x}", '{a:1 b:2}', '{a:1}}', '', '[1,,2]', '{a:/x/}'])
      expect(parseRelaxedJson(bad)).toBeUndefined();
  });

  it('agrees with json5 on random mutations of valid text', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = `{}[]:,'"\\ /*\n0x1.e+-abcINfNtrue`;
    let read = 0;
    for (let k = 0; k < 3000; k++) {
      const base = samples[k % samples.length]!;
      const chars = [...base];
      const at = Math.floor(rand() * chars.length);
      chars[at] = alphabet[Math.floor(rand() * alphabet.length)]!;
      const text = chars.join('');
      const mine = parseRelaxedJson(text);
      let theirs: unknown;
      try {
        theirs = JSON5.parse(text);
      } catch {
        theirs = undefined;
      }
      if (mine !== undefined) {
        read++;
        expect(mine, text).toEqual(theirs);
      }
    }
    // Most one-character mutations still parse: a reader that declined everything would agree vacuously.
    expect(read).toBeGreaterThan(300);
  });
});
