import type { LineOps } from '../../shared/contract';
import type { LineMode } from '../line-db';
import type { ServiceImpl } from './types';

export function createLineService(deps: { line: LineMode }): ServiceImpl<LineOps> {
  const { line } = deps;
  return {
    getLineStatus: () => line.probe(),
    connectLine: ({ url }) => line.connect(url),
    disconnectLine: () => line.disconnect(),
    setLineSettings: (req) => line.setSettings(req),
    getLineReport: ({ orderId }) => line.report(orderId),
    exportLineReport: ({ orderId, format }) => line.exportReport(orderId, format),
    listLineLeases: ({ orderId }) => line.leases(orderId),
    returnLineLease: ({ leaseId, force }) => line.returnLease(leaseId, force),
    voidLineLease: ({ leaseId }) => line.voidLease(leaseId),
  };
}
