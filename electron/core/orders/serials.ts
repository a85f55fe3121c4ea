import type { SerialSpec } from '../../shared/contract';

/** How many serials a spec can hand out (Infinity for an open range). */
function serialCount(spec: SerialSpec): number {
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
  // Zero-padded to the width; a number wider than the width is written in full.
  return (
    /^\d+$/.test(digits) &&
    (digits.length === spec.width || (digits.length > spec.width && digits[0] !== '0')) &&
    Number(digits) >= spec.start
  );
}

import { CONTROL_CHARS, SERIAL_MAX } from '../../shared/contract/fields';
export { CONTROL_CHARS, SERIAL_MAX };

/** Why a serial cannot be used, in a sentence, or null when it can (before the order's pattern). */
export function serialProblem(serial: string): string | null {
  if (serial.length === 0) return 'The serial number is empty: scan it again.';
  if (serial.length > SERIAL_MAX)
    return `The serial number is ${serial.length} characters long (at most ${SERIAL_MAX}): scan the unit's label serial again.`;
  if (CONTROL_CHARS.test(serial))
    return "The serial number holds control characters (CR, LF or tab): check the scanner's suffix setting and scan again.";
  return null;
}

/** The first and last serial of a range or list of `quantity` units (the Create-order preview). */
export function serialPreview(spec: SerialSpec, quantity: number): { first: string; last: string } | null {
  if (quantity < 1) return null;
  const first = serialAt(spec, 0);
  const last = serialAt(spec, Math.min(quantity, serialCount(spec)) - 1);
  return first === null || last === null ? null : { first, last };
}

/** How the order's serials look, for a message: `SN-002001 … SN-002500` or the list's ends. */
export function describeSerials(spec: SerialSpec, quantity: number): string {
  const p = serialPreview(spec, quantity);
  return p ? (p.first === p.last ? p.first : `${p.first} … ${p.last}`) : '(none)';
}
