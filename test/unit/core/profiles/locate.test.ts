import { describe, expect, it } from 'vitest';
import { locateJson5, positionOf } from '../../../../electron/core/profiles/locate';

describe('JSON5 positions', () => {
  it('finds keys and values through comments, quotes, escapes, arrays and trailing commas', () => {
    const text = [
      '// a comment with { and "quotes"',
      '{',
      '  /* block',
      '     comment } */',
      "  'quoted key': 'it\\'s, {not} a brace',",
      '  "double": "a\\"b",',
      '  list: [1, { inner: true, }, "x",],',
      '  nested: {',
      '    deep: -0x1F,',
      '  },',
      '}',
    ].join('\n');
    const at = locateJson5(text);
    expect(at.get(JSON.stringify(['quoted key']))).toEqual({
      key: { line: 5, column: 3 },
      value: { line: 5, column: 17 },
    });
    expect(at.get(JSON.stringify(['double']))?.key).toEqual({ line: 6, column: 3 });
    expect(at.get(JSON.stringify(['list', 1, 'inner']))?.key).toEqual({ line: 7, column: 15 });
    expect(at.get(JSON.stringify(['list', 2]))?.value).toEqual({ line: 7, column: 31 });
    expect(at.get(JSON.stringify(['nested', 'deep']))?.value).toEqual({ line: 9, column: 11 });
    // A missing key points at the object that should hold it.
    expect(positionOf(at, ['nested', 'missing'])).toEqual({ line: 8, column: 11 });
    expect(positionOf(at, ['absent'])).toEqual({ line: 2, column: 1 });
  });
});
