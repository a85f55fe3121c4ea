import { describe, expect, it } from 'vitest';
import type { JobReport } from '../../../electron/shared/contract';
import { systemClock } from '../../../electron/core/clock';
import { createEventBus } from '../../../electron/core/eventBus';
import { Failure } from '../../../electron/core/failure';
import { createJobs } from '../../../electron/core/jobs';

function setup() {
  const bus = createEventBus();
  const seen: JobReport[] = [];
  bus.subscribe((event, payload) => {
    if (event === 'jobProgress') seen.push(payload as JobReport);
  });
  let n = 0;
  return { jobs: createJobs({ bus, clock: systemClock, newId: () => `job-${++n}` }), seen };
}

describe('jobs', () => {
  it('reports progress and the result', async () => {
    const { jobs, seen } = setup();
    const started = jobs.start({
      kind: 'test',
      label: 'Counting',
      total: 3,
      run: async (ctx) => {
        for (let i = 1; i <= 3; i++) ctx.progress(i);
        return { counted: 3 };
      },
    });
    const end = await jobs.wait(started.jobId);
    expect(end).toMatchObject({ state: 'done', done: 3, total: 3, result: { counted: 3 } });
    expect(seen.at(-1)?.state).toBe('done');
  });

  it('stops a job at its next safe point when cancelled', async () => {
    const { jobs } = setup();
    let steps = 0;
    const started = jobs.start({
      kind: 'test',
      label: 'Long work',
      total: 1000,
      run: async (ctx) => {
        for (let i = 0; i < 1000; i++) {
          ctx.throwIfCancelled();
          steps++;
          await new Promise((r) => setTimeout(r, 1));
        }
      },
    });
    // Cancel once it is under way (a guessed 20 ms might come before the first step or after the last).
    const deadline = Date.now() + 10_000;
    while (steps < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    jobs.cancel(started.jobId);
    const atCancel = steps;
    const end = await jobs.wait(started.jobId);
    expect(end.state).toBe('cancelled');
    expect(atCancel).toBeGreaterThanOrEqual(5);
    // It stopped at the next safe point: at most the step in flight ran after the cancel.
    expect(steps).toBeLessThanOrEqual(atCancel + 1);
  });

  it('keeps an expected failure as the job error', async () => {
    const { jobs } = setup();
    const started = jobs.start({
      kind: 'test',
      label: 'Printing',
      total: 1,
      run: async () => {
        throw new Failure('unavailable', 'Printer 10.0.0.9 is not answering.');
      },
    });
    expect(await jobs.wait(started.jobId)).toMatchObject({
      state: 'failed',
      error: { code: 'unavailable', message: 'Printer 10.0.0.9 is not answering.' },
    });
  });
});
