import type { DevStoreOps } from '../../shared/contract';
import { CLAIM_URL_SETTING, readClaimUrlTemplate } from '../evaluator/claimUrl';
import { claimIdCard, watchForClaimId } from '../evaluator/claimWatch';
import type { Jobs } from '../jobs';
import type { Store } from '../store';
import type { ServiceImpl } from './types';

/** The evaluator's operations; the contract keeps them in the devstore namespace. */
export type ClaimWatchOps = 'watchClaimId' | 'claimIdCard' | 'getClaimUrlTemplate' | 'setClaimUrlTemplate';

/** "What is my board's claim ID": watch a dev board's console (core/evaluator) and show the ID with its claim link. */
export function createClaimWatchService(deps: {
  store: Store;
  jobs: Jobs;
}): ServiceImpl<Pick<DevStoreOps, ClaimWatchOps>> {
  const { store } = deps;
  const urlTemplate = () => readClaimUrlTemplate(store);
  return {
    watchClaimId(req) {
      const report = deps.jobs.start({
        kind: 'evaluator.claim-id',
        label: `Watching ${req.path} for the claim ID`,
        total: 1,
        run: async (ctx) => {
          // While watching, `done` counts the bytes the board sent (total 0: open-ended), so the
          // screen can tell a silent board from one that talks but prints no claim ID.
          let received = 0;
          ctx.progress(0, 0);
          const found = await watchForClaimId({
            path: req.path,
            baudRate: req.baudRate ?? 115200,
            timeoutMs: req.timeoutMs ?? 120_000,
            ...(req.askAfterMs !== undefined ? { askAfterMs: req.askAfterMs } : {}),
            ...(req.framed ? { framed: true } : {}),
            signal: ctx.signal,
            onText: (text) => {
              received += Buffer.byteLength(text);
              ctx.progress(received, 0);
            },
          });
          ctx.progress(1, 1);
          return claimIdCard(found.claimId, found.line, urlTemplate());
        },
      });
      return { jobId: report.jobId };
    },
    claimIdCard: ({ claimId }) => claimIdCard(claimId, '', urlTemplate()),
    getClaimUrlTemplate: () => ({ template: urlTemplate() }),
    setClaimUrlTemplate({ template }) {
      store.settings.set(CLAIM_URL_SETTING, template);
      return { template };
    },
  };
}
