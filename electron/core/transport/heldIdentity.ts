import JSON5 from 'json5';
import type { HeldIdentity } from './types';

/** Where the agent keeps its identity, relative to the device directory (ioto-contracts §1). */
export const DEVICE_JSON5_PATH = 'config/device.json5';

/**
 * The claim ID in a unit's device.json5 text (null text = no file). `'auto'` and a missing or
 * empty `id` mean the unit holds no identity yet; text that does not parse is `unreadable`.
 */
export function parseHeldIdentity(text: string | null): HeldIdentity {
  if (text === null || text.trim() === '') return { claimId: null };
  let parsed: unknown;
  try {
    parsed = JSON5.parse(text);
  } catch (error) {
    return { claimId: null, unreadable: error instanceof Error ? error.message : String(error) };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return { claimId: null, unreadable: 'device.json5 is not an object' };
  const id = (parsed as Record<string, unknown>).id;
  if (id === undefined || id === null || id === '' || id === 'auto') return { claimId: null };
  if (typeof id !== 'string') return { claimId: null, unreadable: `device.json5 id is a ${typeof id}` };
  return { claimId: id.trim().toUpperCase() };
}
