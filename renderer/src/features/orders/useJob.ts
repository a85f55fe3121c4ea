import { useEffect, useState } from 'react';
import type { JobReport } from '../../../../electron/shared/contract';
import { api } from '../../api';

/** The latest report of one job: seeded by getJob, kept fresh by jobProgress events. */
export function useJob(jobId: string | null): JobReport | null {
  const [job, setJob] = useState<JobReport | null>(null);
  useEffect(() => {
    if (!jobId) return;
    let latest: JobReport | null = null;
    const keep = (report: JobReport) => {
      // Events may arrive out of order with the getJob answer: never go back.
      if (latest && latest.state !== 'running' && report.state === 'running') return;
      if (latest && report.state === 'running' && report.done < latest.done) return;
      latest = report;
      setJob(report);
    };
    const off = api.on('jobProgress', (report) => {
      if (report.jobId === jobId) keep(report);
    });
    void api.getJob({ jobId }).then((r) => r.ok && keep(r.value));
    return off;
  }, [jobId]);
  return jobId && job?.jobId === jobId ? job : null;
}
