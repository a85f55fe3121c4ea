import type { StationOps } from '../../shared/contract';
import type { Station } from '../station';
import type { ServiceImpl } from './types';

export function createStationService(deps: { station: Station }): ServiceImpl<StationOps> {
  const { station } = deps;
  return {
    getStationState: async () => {
      await station.refresh();
      return station.state();
    },
    configureStation: (req) => station.configure(req),
    startUnit: (req) => station.start(req),
    retryUnit: ({ slot, wait }) => station.retry(slot, wait),
    resumeUnit: (req) => station.resume(req),
    cancelUnit: async ({ slot, wait }) => {
      const report = station.cancel(slot);
      return wait ? station.wait(slot) : report;
    },
    clearSlot: ({ slot }) => station.clear(slot),
    getUnitRun: ({ claimId }) => station.unitRun(claimId),
    getSlotConsole: ({ slot }) => ({ slot, text: station.console(slot) }),
  };
}
