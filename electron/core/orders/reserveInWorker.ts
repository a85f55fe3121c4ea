/**
 * Runs an order's reservation in the reservation worker (reserveWorker.ts): batches arrive as
 * messages, so the caller's event loop only hears about them. One worker per process, started on
 * first use, holding the process open only while it has work. Null where no worker can start
 * (the caller reserves in-thread).
 */
import { Worker } from 'node:worker_threads';
import { Failure } from '../failure';
import { workerScript } from '../workerScript';
import type { Actor } from '../store/eventLog';
import type { BatchResult } from './reserve';
import type { ReserveAnswer, ReserveJob } from './reserveWorker';

interface Job {
  onBatch: (result: BatchResult) => void;
  resolve: () => void;
  reject: (error: Error) => void;
}

let worker: Worker | null = null;
let broken = false;
let nextId = 1;
const jobs = new Map<number, Job>();

function settle(id: number): Job | undefined {
  const job = jobs.get(id);
  jobs.delete(id);
  if (jobs.size === 0) worker?.unref();
  return job;
}

function start(): Worker | null {
  if (worker || broken) return worker;
  let file: URL | null;
  try {
    file = workerScript('reserveWorker');
  } catch {
    file = null;
  }
  if (!file) {
    broken = true;
    return null;
  }
  const w = new Worker(file);
  w.unref();
  w.on('message', (answer: ReserveAnswer) => {
    const job = jobs.get(answer.id);
    if (!job) return;
    if (answer.kind === 'batch') job.onBatch(answer.result);
    else if (answer.kind === 'done') settle(answer.id)?.resolve();
    else {
      const { code, message, detail, field } = answer.error;
      settle(answer.id)?.reject(new Failure(code, message, { detail, field }));
    }
  });
  w.on('error', (error) => {
    for (const id of [...jobs.keys()]) settle(id)?.reject(error);
    if (worker === w) worker = null;
  });
  w.on('exit', () => {
    if (worker === w) worker = null;
  });
  worker = w;
  return w;
}

export function reserveInWorker(job: {
  file: string;
  orderId: string;
  batchSize: number;
  actor: Actor;
  cacheSize: number;
  onBatch: (result: BatchResult) => void;
  signal?: AbortSignal;
}): Promise<void> | null {
  const w = start();
  if (!w) return null;
  const id = nextId++;
  const done = new Promise<void>((resolve, reject) =>
    jobs.set(id, { onBatch: job.onBatch, resolve, reject }),
  );
  if (jobs.size === 1) w.ref();
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
