import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { parseValues } from '../../../electron/core/devicedb/strictJson';

const samples = [
  `{sk:'s#mode',_type:'Store',key:'mode',value:'eco',type:'string'}`,
  `{"sk":"s#x","value":42,"nested":{"a":[1,2,{"b":null}]},"t":true,"f":false}`,
  `{ key: 'it\\'s "quoted"', other: "say \\"hi\\"", n: -1.5e3, a: [ 'x,y:z', {q:'}'} ] }`,
  `{ u: '\\u00e9\\n\\t', arr: [ ], obj: { }, true: false, null: 'a{b' }`,
  `{"__proto__": {"polluted": true}, x: 1}`,
  `{ // comment\n key: 1, h: 0xFF, p: +7, d: .5, e: 5., t: [1,], inf: Infinity }`,
  `{a: 'caf\u00e9 \u2603'}  `,
];

function one(text: string): unknown {
  const bytes = Buffer.from(text, 'utf8');
  const values = parseValues(bytes, [0], [bytes.length], 1);
  return values ? values[0] : undefined;
}

describe('strict JSON batch reader', () => {
  it('reads a batch of values the way json5 reads each, or declines the batch', () => {
    for (const s of samples) {
      const mine = one(s);
      if (mine !== undefined) expect(mine, s).toEqual(JSON5.parse(s));
    }
    // The common shapes take the fast path; JSON5-only forms are declined (the caller reads them).
    expect(one(samples[0]!)).toBeDefined();
    expect(one(samples[2]!)).toBeDefined();
    expect(one(samples[5]!)).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const texts = samples.slice(0, 5).map((s) => Buffer.from(s, 'utf8'));
    const all = Buffer.concat(texts);
    const starts = texts.map((_, k) => texts.slice(0, k).reduce((n, t) => n + t.length, 0));
    expect(
      parseValues(
        all,
        starts,
        texts.map((t) => t.length),
        5,
      ),
    ).toEqual(samples.slice(0, 5).map((s) => JSON5.parse(s)));
  });

  it('never accepts two values as one, or anything after the object', () => {
    for (const bad of ['{a:1},{b:2}', '{a:1} x', '{a:1}}', '[1]', '1', "{a:'x}", '{a:1 /* c */}'])
      expect(one(bad), bad).toBeUndefined();
    expect(one('{a:\xff}'.replace('\xff', '\u00ff'))).toBeUndefined();
    // Bytes that are not UTF-8 are declined, so the strict decoder reports them.
    const broken = Buffer.from(`{a:'x'}`);
    broken[4] = 0xc3;
    expect(parseValues(broken, [0], [broken.length], 1)).toBeNull();
  });

  it('agrees with json5 on random mutations of valid text', () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = `{}[]:,'"\\ /*\n0x1.e+-abcINfNtrue`;
    for (let k = 0; k < 5000; k++) {
      const chars = [...samples[k % samples.length]!];
      for (let m = 0; m < 1 + (k % 3); m++)
        chars[Math.floor(rand() * chars.length)] = alphabet[Math.floor(rand() * alphabet.length)]!;
      const text = chars.join('');
      const mine = one(text);
      let theirs: unknown;
      try {
        theirs = JSON5.parse(text);
      } catch {
        theirs = undefined;
      }
      if (mine !== undefined) {
        expect(theirs, text).toBeDefined();
        expect(mine, text).toEqual(theirs);
      }
    }
  });
});
