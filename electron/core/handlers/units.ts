import type { UnitsOps } from '../../shared/contract';
import { Failure } from '../failure';
import type { Store } from '../store';
import type { ServiceImpl } from './types';

export function createUnitsService(deps: { store: Store }): ServiceImpl<UnitsOps> {
  const { store } = deps;
  return {
    listUnits: (req) => store.units.page(req),
    getUnit({ claimId }) {
      const unit = store.units.get(claimId);
      if (!unit)
        throw new Failure('not-found', `No unit with claim ID ${claimId} on this station.`, {
          field: 'claimId',
        });
      return { unit, events: store.events.forUnit(unit.claimId) };
    },
  };
}
