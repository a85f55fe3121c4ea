import type { JobsOps } from '../../shared/contract';
import type { Jobs } from '../jobs';
import type { ServiceImpl } from './types';

export function createJobsService(deps: { jobs: Jobs }): ServiceImpl<JobsOps> {
  const { jobs } = deps;
  return {
    listJobs: () => jobs.list(),
    getJob: ({ jobId }) => jobs.get(jobId),
    cancelJob: ({ jobId }) => jobs.cancel(jobId),
  };
}
