/**
 * The region a compressed write covers (eraseRegion.ts): padded to a 64 KiB block boundary only
 * where the stub would otherwise erase many sectors of the last block one by one, never past the
 * partition, never when the block does not start inside the region at an aligned address.
 */
import { describe, expect, it } from 'vitest';
import { eraseFriendlyLength } from '../../../electron/core/transport/esp32/eraseRegion';

const STORAGE = 0x210000;
const FOUR_MB = 0x400000;

describe('eraseFriendlyLength', () => {
  it('pads a 12-sector state image to one 64 KiB block', () => {
    expect(eraseFriendlyLength(STORAGE, 12 * 4096, FOUR_MB)).toBe(0x10000);
  });
  it('pads a partly used last block the same way after whole blocks', () => {
    expect(eraseFriendlyLength(STORAGE, 0x20000 + 9 * 4096 - 100, FOUR_MB)).toBe(0x30000);
  });
  it('leaves a tail of a few sectors as it is (sector erases are cheaper there)', () => {
    expect(eraseFriendlyLength(STORAGE, 3 * 4096, FOUR_MB)).toBe(3 * 4096);
    expect(eraseFriendlyLength(STORAGE, 0x10000 + 7 * 4096, FOUR_MB)).toBe(0x10000 + 7 * 4096);
  });
  it('leaves a region that ends on a block boundary as it is', () => {
    expect(eraseFriendlyLength(STORAGE, 0x20000, FOUR_MB)).toBe(0x20000);
  });
  it('never pads past the partition', () => {
    expect(eraseFriendlyLength(STORAGE, 12 * 4096, 13 * 4096)).toBe(12 * 4096);
  });
  it('does not pad when the last block starts before the region (an unaligned partition)', () => {
    expect(eraseFriendlyLength(0x211000, 10 * 4096, FOUR_MB)).toBe(10 * 4096);
  });
});
