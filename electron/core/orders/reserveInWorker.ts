/**
 * Runs an order's reservation in the reservation worker (reserveWorker.ts): batches arrive as
 * messages, so the caller's event loop only hears about them. One worker per process, started on
 * first use, holding the process open only while it has work. Null where no worker can start
 * (the caller reserves in-thread).
 */
import type { Actor } from '../store/eventLog';
import { createWorkerHost, failureFromWorker } from '../workerHost';
import type { BatchResult } from './reserve';
import type { ReserveAnswer, ReserveJob } from './reserveWorker';

interface Job {
  onBatch: (result: BatchResult) => void;
  resolve: () => void;
  reject: (error: Error) => void;
}

const host = createWorkerHost<Job, ReserveAnswer>('reserveWorker', (answer, job) => {
  if (answer.kind === 'batch') job.onBatch(answer.result);
  else if (answer.kind === 'done') host.settle(answer.id)?.resolve();
  else host.settle(answer.id)?.reject(failureFromWorker(answer.error));
});

export function reserveInWorker(job: {
  file: string;
  orderId: string;
  batchSize: number;
  actor: Actor;
  cacheSize: number;
  onBatch: (result: BatchResult) => void;
  signal?: AbortSignal;
}): Promise<void> | null {
  let hosted!: Job;
  const done = new Promise<void>((resolve, reject) => (hosted = { onBatch: job.onBatch, resolve, reject }));
  const added = host.add(hosted);
  if (!added) return null;
  const { id, worker: w } = added;
  const onAbort = () => w.postMessage({ id, kind: 'cancel' });
  job.signal?.addEventListener('abort', onAbort, { once: true });
  w.postMessage({
    id,
    kind: 'reserve',
    file: job.file,
    orderId: job.orderId,
    batchSize: job.batchSize,
    actor: job.actor,
    cacheSize: job.cacheSize,
  } satisfies ReserveJob);
  return done.finally(() => job.signal?.removeEventListener('abort', onAbort));
}
