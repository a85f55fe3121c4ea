import { describe, expect, it } from 'vitest';
import { diffLines } from '../../../../electron/core/profiles/diff';
import { productLiteral } from '../../../../electron/core/profiles/drafts';

describe('the product value in a draft', () => {
  it('is found as the top-level key only, with its quotes', () => {
    const text = `// product: 'not this'\n{\n  device: { product: 'nor this' },\n  "product": "01H4", name: 'x' }`;
    const found = productLiteral(text)!;
    expect(text.slice(found.from, found.to)).toBe('"01H4"');
    expect(found.value).toBe('01H4');
  });

  it('is still found in text that does not parse yet', () => {
    const text = `{\n  product: 'sealed:product_ab',\n  name: 'x',,\n`;
    expect(productLiteral(text)?.value).toBe('sealed:product_ab');
  });

  it('is null without a product key', () => {
    expect(productLiteral('{ name: "x" }')).toBeNull();
  });
});

describe('the line diff', () => {
  it('is minimal, removals before additions, with both line numbers', () => {
    expect(diffLines('a\nb\nc\n', 'a\nB\nc\nd\n')).toEqual([
      { op: ' ', text: 'a', oldLine: 1, newLine: 1 },
      { op: '-', text: 'b', oldLine: 2, newLine: null },
      { op: '+', text: 'B', oldLine: null, newLine: 2 },
      { op: ' ', text: 'c', oldLine: 3, newLine: 3 },
      { op: '+', text: 'd', oldLine: null, newLine: 4 },
    ]);
    expect(diffLines('x', 'x').every((l) => l.op === ' ')).toBe(true);
  });
});
