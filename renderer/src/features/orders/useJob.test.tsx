import { act, renderHook, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JobReport } from '../../../../electron/shared/contract';
import { installFakeApi, type FakeApi } from '../../test/fakeApi';
import type { useJob as UseJob } from './useJob';

let fake: FakeApi;
let useJob: typeof UseJob;
beforeAll(async () => {
  fake = installFakeApi();
  ({ useJob } = await import('./useJob'));
});

const report = (patch: Partial<JobReport>): JobReport =>
  ({ jobId: 'J1', kind: 'reserve', state: 'running', done: 0, total: 100, ...patch }) as JobReport;

describe('useJob', () => {
  it('seeds from getJob, then follows progress events for its own job only', async () => {
    fake.answers['jobs.get'] = () => report({ done: 10 });
    const { result } = renderHook(() => useJob('J1'));
    await waitFor(() => expect(result.current?.done).toBe(10));
    // It asks the transport for this job's progress only.
    expect(fake.scopes('jobProgress')).toContainEqual({ jobId: 'J1' });
    act(() => fake.emit('jobProgress', report({ done: 40 })));
    expect(result.current?.done).toBe(40);
    act(() => fake.emit('jobProgress', report({ jobId: 'J2', done: 99 })));
    expect(result.current).toMatchObject({ jobId: 'J1', done: 40 });
  });

  it('never goes back: a late running report after the end, or a smaller count, is ignored', async () => {
    fake.answers['jobs.get'] = () => report({ done: 0 });
    const { result } = renderHook(() => useJob('J1'));
    await waitFor(() => expect(result.current).not.toBeNull());
    act(() => fake.emit('jobProgress', report({ done: 70 })));
    act(() => fake.emit('jobProgress', report({ done: 50 })));
    expect(result.current?.done).toBe(70);
    act(() => fake.emit('jobProgress', report({ state: 'done', done: 100 })));
    act(() => fake.emit('jobProgress', report({ done: 90 })));
    expect(result.current).toMatchObject({ state: 'done', done: 100 });
  });

  it('stops listening when it unmounts, and shows nothing without a job', () => {
    fake.answers['jobs.get'] = () => report({});
    const before = fake.listeners('jobProgress');
    const { unmount } = renderHook(() => useJob('J1'));
    expect(fake.listeners('jobProgress')).toBe(before + 1);
    unmount();
    expect(fake.listeners('jobProgress')).toBe(before);
    expect(renderHook(() => useJob(null)).result.current).toBeNull();
  });
});
