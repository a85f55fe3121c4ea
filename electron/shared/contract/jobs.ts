import * as z from 'zod';
import type { ErrorInfo } from '../errors';
import { noArgs } from './fields';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';

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

const jobIdRequest = lazySchema(() => z.object({ jobId: z.string().min(1).max(64) }).strict());

export const jobsOperations = {
  listJobs: op('jobs:list', noArgs).returns<JobReport[]>(),
  getJob: op('jobs:get', jobIdRequest).returns<JobReport>(),
  cancelJob: op('jobs:cancel', jobIdRequest).returns<JobReport>(),
};

export type JobsOps = OpsOf<typeof jobsOperations>;
export const jobsChannels = channelsOf(jobsOperations);
export const jobsSchemas = schemasOf(jobsOperations);
