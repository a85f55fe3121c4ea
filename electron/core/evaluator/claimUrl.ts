import type { Store } from '../store';
import { defaultClaimUrlTemplate } from './claimWatch';

/** The station setting that holds the claim page link shown beside a board's claim ID. */
export const CLAIM_URL_SETTING = 'evaluator.claimUrlTemplate';

/** The claim page link template (`{claimId}` is replaced), or the agent's cloud default. */
export function readClaimUrlTemplate(store: Store): string {
  return store.settings.get(CLAIM_URL_SETTING, defaultClaimUrlTemplate);
}
