/**
 * One worker thread for one kind of job (ID reservation, device-database parsing), started on
 * first use and holding the process open only while it has jobs. Every answer carries its job's
 * id; an answer for a job that is gone is dropped. A worker that fails rejects every job it had,
 * and the next job starts a new one. Where no worker can start, `add` answers null and the caller
 * works in-process.
 */
import { Worker } from 'node:worker_threads';
import type { ErrorInfo } from '../shared/contract';
import { Failure } from './failure';
import { workerScript, type WorkerName } from './workerScript';

export interface HostedJob {
  reject(error: Error): void;
}

export interface WorkerHost<J extends HostedJob> {
  /** Registers a job: its id and the worker to post it to, or null when no worker can start. */
  add(job: J): { id: number; worker: Worker } | null;
  /** Forgets a job (answered, failed or cancelled) and returns it, if it was still there. */
  settle(id: number): J | undefined;
  has(id: number): boolean;
}

export function createWorkerHost<J extends HostedJob, A extends { id: number }>(
  name: WorkerName,
  onAnswer: (answer: A, job: J, worker: Worker) => void,
): WorkerHost<J> {
  let worker: Worker | null = null;
  let broken = false;
  let nextId = 1;
  const jobs = new Map<number, J>();

  function settle(id: number): J | undefined {
    const job = jobs.get(id);
    jobs.delete(id);
    if (jobs.size === 0) worker?.unref();
    return job;
  }

  function start(): Worker | null {
    if (worker || broken) return worker;
    let file: URL | null;
    try {
      file = workerScript(name);
    } catch {
      file = null;
    }
    if (!file) {
      broken = true;
      return null;
    }
    const w = new Worker(file);
    w.unref();
    w.on('message', (answer: A) => {
      const job = jobs.get(answer.id);
      if (job) onAnswer(answer, job, w);
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

  return {
    add(job) {
      const w = start();
      if (!w) return null;
      const id = nextId++;
      jobs.set(id, job);
      if (jobs.size === 1) w.ref();
      return { id, worker: w };
    },
    settle,
    has: (id) => jobs.has(id),
  };
}

/** The Failure a worker reported, as the same code on this thread would have thrown it. */
export function failureFromWorker({ code, message, detail, field }: ErrorInfo): Failure {
  return new Failure(code, message, { detail, field });
}
