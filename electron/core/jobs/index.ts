import type { JobReport } from '../../shared/contract';
import type { Clock } from '../clock';
import type { EventBus } from '../eventBus';
import { Failure, isFailure } from '../failure';

export interface JobContext {
  /** Aborted when someone cancels the job; check it at every safe point. */
  signal: AbortSignal;
  /** Report progress; events are throttled so a tight loop can call this freely. */
  progress(done: number, total?: number): void;
  /** Throws a `cancelled` Failure when the job was cancelled. */
  throwIfCancelled(): void;
}

export interface StartJobOptions<T> {
  kind: string;
  label: string;
  total: number;
  run(ctx: JobContext): Promise<T>;
}

export interface Jobs {
  start<T>(options: StartJobOptions<T>): JobReport;
  get(jobId: string): JobReport;
  list(): JobReport[];
  cancel(jobId: string): JobReport;
  /** Resolves when the job has ended (any state). */
  wait(jobId: string): Promise<JobReport>;
}

const PROGRESS_INTERVAL_MS = 100;

export function createJobs(deps: { bus: EventBus; clock: Clock; newId: () => string; keep?: number }): Jobs {
  const jobs = new Map<
    string,
    { report: JobReport; controller: AbortController; ended: Promise<JobReport> }
  >();
  const keep = deps.keep ?? 50;

  function snapshot(report: JobReport): JobReport {
    return { ...report };
  }

  function entry(jobId: string) {
    const found = jobs.get(jobId);
    if (!found)
      throw new Failure(
        'not-found',
        `No job ${jobId} on this station (finished jobs are kept until restart).`,
      );
    return found;
  }

  function prune() {
    const ended = [...jobs.values()].filter((j) => j.report.state !== 'running');
    for (const j of ended.slice(0, Math.max(0, ended.length - keep))) jobs.delete(j.report.jobId);
  }

  return {
    start({ kind, label, total, run }) {
      const jobId = deps.newId();
      const controller = new AbortController();
      const report: JobReport = {
        jobId,
        kind,
        label,
        state: 'running',
        done: 0,
        total,
        startedAt: deps.clock.now().toISOString(),
        finishedAt: null,
        error: null,
        result: null,
      };
      let lastEmit = 0;
      const emit = () => deps.bus.emit('jobProgress', snapshot(report));
      const ctx: JobContext = {
        signal: controller.signal,
        progress(done, newTotal) {
          report.done = done;
          if (newTotal !== undefined) report.total = newTotal;
          const now = Date.now();
          if (now - lastEmit >= PROGRESS_INTERVAL_MS) {
            lastEmit = now;
            emit();
          }
        },
        throwIfCancelled() {
          if (controller.signal.aborted) throw new Failure('cancelled', `${label} was cancelled.`);
        },
      };
      const finish = (state: JobReport['state'], patch: Partial<JobReport>) => {
        Object.assign(report, patch, { state, finishedAt: deps.clock.now().toISOString() });
        emit();
        prune();
        return snapshot(report);
      };
      const ended = Promise.resolve()
        .then(() => run(ctx))
        .then(
          (result) => finish('done', { result: result ?? null }),
          (error: unknown) => {
            if (controller.signal.aborted || (isFailure(error) && error.code === 'cancelled')) {
              return finish('cancelled', {
                error: { code: 'cancelled', message: `${label} was cancelled.` },
              });
            }
            const info = isFailure(error)
              ? error.toInfo()
              : {
                  code: 'internal' as const,
                  message: `${label} failed unexpectedly.`,
                  detail: String(error),
                };
            if (!isFailure(error)) console.error(`[lineside] job ${kind} failed:`, error);
            return finish('failed', { error: info });
          },
        );
      jobs.set(jobId, { report, controller, ended });
      emit();
      return snapshot(report);
    },
    get: (jobId) => snapshot(entry(jobId).report),
    list: () => [...jobs.values()].map((j) => snapshot(j.report)).reverse(),
    cancel(jobId) {
      const job = entry(jobId);
      if (job.report.state === 'running') job.controller.abort();
      return snapshot(job.report);
    },
    wait: (jobId) => entry(jobId).ended,
  };
}
