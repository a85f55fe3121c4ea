import type { SerialOps } from '../../shared/contract';
import type { PortLister } from '../serial/ports';
import { resolveSlots } from '../serial/slots';
import { SLOTS_KEY, readSlotBindings } from '../serial/slotSettings';
import type { Terminals } from '../serial/terminal';
import type { Store } from '../store';
import type { ServiceImpl } from './types';

export const DEFAULT_TERMINAL_BAUD = 115200;

export { readSlotBindings };

export function createSerialService(deps: {
  store: Store;
  ports: PortLister;
  terminals: Terminals;
  /** The Station's cards follow the fixture slots at once. */
  onSlotsChanged?: () => void;
}): ServiceImpl<SerialOps> {
  const { store, ports, terminals } = deps;
  return {
    listPorts: () => ports.list(),
    async getSlots() {
      return resolveSlots(readSlotBindings(store), (await ports.list()).ports);
    },
    async setSlots({ slots }) {
      store.transaction(() => {
        store.settings.set(SLOTS_KEY, slots);
        store.events.append({ kind: 'settings.slots-changed', data: { slots } });
      });
      deps.onSlotsChanged?.();
      return resolveSlots(slots, (await ports.list()).ports);
    },
    openTerminal: ({ path, baudRate, log }) =>
      terminals.open({ path, baudRate: baudRate ?? DEFAULT_TERMINAL_BAUD, log: log === true }),
    writeTerminal: ({ sessionId, data }) => terminals.write(sessionId, data),
    closeTerminal: ({ sessionId }) => terminals.close(sessionId),
  };
}
