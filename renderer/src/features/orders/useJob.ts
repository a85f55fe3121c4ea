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
    // Scoped to this job: the station sends a window only the jobs it started or asked for.
    const off = api.on('jobProgress', keep, { jobId });
    void api.jobs.get({ jobId }).then((r) => r.ok && keep(r.value));
    return off;
  }, [jobId]);
  return jobId && job?.jobId === jobId ? job : null;
}
