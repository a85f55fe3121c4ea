import type { SlotBinding } from '../../shared/contract';
import type { Store } from '../store';

/** The fixture slots (Settings → Fixture slots): the one slot model the Station also uses. */
export const SLOTS_KEY = 'serial.slots';

export function readSlotBindings(store: Store): SlotBinding[] {
  return store.settings.get<SlotBinding[]>(SLOTS_KEY, []);
}

/** Binds slots to typed paths (configureStation {ports}), keeping every other slot's binding. */
export function bindSlotPaths(store: Store, ports: Record<string, string>): SlotBinding[] {
  const bySlot = new Map(readSlotBindings(store).map((b) => [b.slot, b]));
  for (const [slot, path] of Object.entries(ports)) {
    const n = Number(slot);
    const label = bySlot.get(n)?.label;
    bySlot.set(n, { slot: n, ...(label ? { label } : {}), match: { kind: 'path', path } });
  }
  const next = [...bySlot.values()].sort((a, b) => a.slot - b.slot);
  store.settings.set(SLOTS_KEY, next);
  return next;
}
