/**
 * A badge scanner is a keyboard that types a whole barcode in a few milliseconds per character; a
 * person types ten times slower. Keystroke times tell a scanned badge from a typed name.
 */
export const BADGE_MAX_GAP_MS = 40;

export function looksScanned(keyTimes: readonly number[], text: string): boolean {
  if (text.trim().length < 3 || keyTimes.length < text.length) return false;
  const recent = keyTimes.slice(-text.length);
  const gaps = recent.slice(1).map((t, i) => t - recent[i]!);
  if (gaps.length === 0) return false;
  const sorted = [...gaps].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]! <= BADGE_MAX_GAP_MS;
}
