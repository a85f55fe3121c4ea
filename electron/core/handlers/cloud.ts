import type { CloudOps, ProductTokenSummary } from '../../shared/contract';
import type { Clock } from '../clock';
import type { Cloud } from '../cloud';
import { exportReport, reconciliationReport } from '../cloud/report';
import type { SecretSummary, Secrets } from '../secrets';
import type { Store } from '../store';
import type { ServiceImpl } from './types';

const toToken = ({ ref, label, fingerprint, createdAt }: SecretSummary): ProductTokenSummary => ({
  ref,
  label: label.replace(/^product:/, ''),
  fingerprint,
  createdAt,
});

export function createCloudService(deps: {
  store: Store;
  clock: Clock;
  cloud: Cloud;
  secrets: Secrets;
}): ServiceImpl<CloudOps> {
  const { store, clock, cloud, secrets } = deps;
  return {
    getCloudStatus: () => cloud.status(),
    pauseCloudSender() {
      cloud.pause();
      return cloud.status();
    },
    resumeCloudSender() {
      cloud.resume();
      return cloud.status();
    },
    retryCloudRegistrations: ({ claimIds }) => ({ retried: cloud.retry(claimIds) }),
    getCloudReport: ({ orderId }) => reconciliationReport(store, clock, orderId),
    exportCloudReport: ({ orderId, format }) => {
      const report = reconciliationReport(store, clock, orderId);
      store.events.append({
        kind: 'cloud.report-exported',
        orderId,
        data: { format, units: report.units.length },
      });
      return exportReport(report, format);
    },
    storeProductToken({ label, token }) {
      const summary = secrets.put(`product:${label}`, token);
      store.events.append({
        kind: 'cloud.product-token-stored',
        data: { label, fingerprint: summary.fingerprint },
      });
      return toToken(summary);
    },
    listProductTokens: () => secrets.list('product_').map(toToken),
  };
}
