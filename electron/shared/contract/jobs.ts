import type { ChannelMap, Op } from './types';
import type { ErrorInfo } from '../errors';

/**
 * Long work (reserving 100,000 IDs, a batch print, draining the outbox) runs as a job: the
 * operation that starts it returns `{ jobId }` at once, progress arrives as `jobProgress` events,
 * and `cancelJob` stops it at the next safe point.
 */
export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobReport {
  jobId: string;
  kind: string;
  label: string;
  state: JobState;
  done: number;
  total: number;
  startedAt: string;
  finishedAt: string | null;
  error: ErrorInfo | null;
  /** What the job produced, when it is done (kind-specific, JSON). */
  result: unknown;
}

export interface JobStartedReport {
  jobId: string;
}

export interface JobsOps {
  listJobs: Op<void, JobReport[]>;
  getJob: Op<{ jobId: string }, JobReport>;
  cancelJob: Op<{ jobId: string }, JobReport>;
}

export const jobsChannels = {
  listJobs: 'jobs:list',
  getJob: 'jobs:get',
  cancelJob: 'jobs:cancel',
} as const satisfies ChannelMap<JobsOps>;
