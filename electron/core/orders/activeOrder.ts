import type { Store } from '../store';

const KEY = 'station.activeOrder';

export interface ActiveOrderSetting {
  orderId: string | null;
  setBy: string | null;
  setAt: string | null;
}

/**
 * The work order the station is locked to (an engineer sets it before the shift). The station run
 * and the serialization service read it here; null when none is set.
 */
export function getActiveOrderId(store: Store): string | null {
  return readActiveOrder(store).orderId;
}

export function readActiveOrder(store: Store): ActiveOrderSetting {
  return store.settings.get<ActiveOrderSetting>(KEY, { orderId: null, setBy: null, setAt: null });
}

export function writeActiveOrder(store: Store, value: ActiveOrderSetting): void {
  store.settings.set(KEY, value);
}
