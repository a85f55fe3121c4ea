import type { SerialSpec } from '../../shared/contract';

/** How many serials a spec can hand out (Infinity for an open range). */
export function serialCount(spec: SerialSpec): number {
  return spec.kind === 'list' ? spec.serials.length : Infinity;
}

/** The `index`-th serial of a spec (0-based), or null past the end of a list. */
export function serialAt(spec: SerialSpec, index: number): string | null {
  if (spec.kind === 'list') return spec.serials[index] ?? null;
  return spec.prefix + String(spec.start + index).padStart(spec.width, '0');
}

/** Whether a scanned serial belongs to the order's spec. */
export function serialInSpec(spec: SerialSpec, serial: string): boolean {
  if (spec.kind === 'list') return spec.serials.includes(serial);
  if (!serial.startsWith(spec.prefix)) return false;
  const digits = serial.slice(spec.prefix.length);
  return /^\d+$/.test(digits) && digits.length >= spec.width && Number(digits) >= spec.start;
}
