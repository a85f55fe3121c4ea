import { z } from 'zod';
import type { JobsOps } from '../../shared/contract';
import { noArgs } from './common';
import type { SchemaMap } from './types';

const jobId = z.object({ jobId: z.string().min(1).max(64) }).strict();

export const jobsSchemas = {
  listJobs: noArgs,
  getJob: jobId,
  cancelJob: jobId,
} satisfies SchemaMap<JobsOps>;
