import type { UnitsOps } from '../../shared/contract';
import { Failure } from '../failure';
import { checkTypedId, type IdPolicy } from '../ids';
import type { Store } from '../store';
import type { ServiceImpl } from './types';

/**
 * For a typed claim ID that is not on this station: when it has the length of an order's IDs with
 * a check symbol, what is wrong with it (a mistyped character, a letter claim IDs never use).
 */
export function typedIdHint(store: Store, text: string): string | null {
  const policies = (store.db.prepare('SELECT DISTINCT id_policy FROM orders').pluck().all() as string[]).map(
    (p) => JSON.parse(p) as IdPolicy,
  );
  for (const policy of policies) {
    if (!policy.checkSymbol) continue;
    const check = checkTypedId(text, policy);
    if (!check.ok && check.normalized.length === policy.length + 1) return check.problem;
  }
  return null;
}

export function createUnitsService(deps: { store: Store }): ServiceImpl<UnitsOps> {
  const { store } = deps;
  return {
    // The claim-ID prefix alone keeps the index range scan; the search box's query goes wide.
    listUnits: (req) =>
      req.query !== undefined || req.state !== undefined || req.hideReserved
        ? store.units.search(req)
        : store.units.page(req),
    getUnit({ claimId }) {
      const unit = store.units.get(claimId);
      if (!unit) {
        const hint = typedIdHint(store, claimId);
        throw new Failure(
          'not-found',
          `No unit with claim ID ${claimId} on this station.${hint ? ` ${hint}` : ''}`,
          {
            field: 'claimId',
          },
        );
      }
      return { unit, events: store.events.forUnit(unit.claimId) };
    },
  };
}
