import { describe, expect, it } from 'vitest';
import { serialInSpec, serialPreview, serialProblem } from '../../../../electron/core/orders/serials';

describe('order serials', () => {
  it('a range is zero-padded to its width, and a scan of the printed serial belongs to it', () => {
    const spec = { kind: 'range' as const, prefix: 'SN-', start: 2001, width: 4 };
    expect(serialPreview(spec, 500)).toEqual({ first: 'SN-2001', last: 'SN-2500' });
    expect(serialInSpec(spec, 'SN-2001')).toBe(true);
    expect(serialInSpec(spec, 'SN-02001')).toBe(false);
    const wide = { kind: 'range' as const, prefix: 'SN-', start: 2001, width: 6 };
    expect(serialPreview(wide, 2)).toEqual({ first: 'SN-002001', last: 'SN-002002' });
    expect(serialInSpec(wide, 'SN-2001')).toBe(false);
    expect(serialInSpec(wide, 'SN-002001')).toBe(true);
  });

  it('refuses control characters and overlong serials', () => {
    expect(serialProblem('SN-1\r')).toMatch(/control characters/);
    expect(serialProblem('SN\n1')).toMatch(/control characters/);
    expect(serialProblem('X'.repeat(65))).toMatch(/at most 64/);
    expect(serialProblem('SN-0001')).toBeNull();
  });
});
