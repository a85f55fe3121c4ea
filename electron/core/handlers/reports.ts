import type { ReportsOps } from '../../shared/contract';
import type { Clock } from '../clock';
import { exportShiftReport } from '../reports/export';
import { createShiftReports } from '../reports/shift';
import type { Store } from '../store';
import type { ServiceImpl } from './types';

export function createReportsService(deps: { store: Store; clock: Clock }): ServiceImpl<ReportsOps> {
  const reports = createShiftReports(deps);
  return {
    getShiftReport: (req) => reports.shiftReport(req),
    exportShiftReport: ({ format, ...req }) => exportShiftReport(reports.shiftReport(req), format),
  };
}
