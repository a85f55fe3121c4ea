import { describe, expect, it } from 'vitest';
import { toProfileReport } from '../../../../electron/core/handlers/profiles';
import { checkProfileText } from '../../../../electron/core/profiles';

function report(text: string) {
  const check = checkProfileText(text, { file: 'p.json5' });
  return toProfileReport({
    name: 'p',
    file: 'p.json5',
    source: 'station',
    text,
    hash: check.hash,
    profile: check.profile,
    problems: check.problems,
    shadowed: false,
  });
}

describe('what the renderer may see of a profile', () => {
  it('never the product token in full: not in the fields, not in the text', () => {
    const token = '01H4R15D3478JD26YDYK408XE6';
    const valid = report(`{ "product": '${token}', name: 'A', model: 'B' }`);
    expect(valid.productMasked).toBe(`01H4${'•'.repeat(18)}8XE6`);
    expect(JSON.stringify(valid)).not.toContain(token);
    // Invalid profiles too, and a token under an old key.
    const invalid = report(`{ productToken: '${token}', name: 'A', model: 'B' }`);
    expect(invalid.valid).toBe(false);
    expect(JSON.stringify(invalid)).not.toContain(token);
    expect(invalid.text).toContain(`productToken: '01H4${'•'.repeat(18)}8XE6'`);
  });
});
