import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JobReport } from '../../../../electron/shared/contract';
import { installFakeApi, type FakeApi } from '../../test/fakeApi';
import type { ReservationProgress as Progress } from './ReservationProgress';

let fake: FakeApi;
let ReservationProgress: typeof Progress;
beforeAll(async () => {
  fake = installFakeApi();
  ({ ReservationProgress } = await import('./ReservationProgress'));
});

const job = (patch: Partial<JobReport>): JobReport => ({
  jobId: 'J7',
  kind: 'reserve',
  label: 'Reserving WO-1',
  state: 'running',
  done: 25_000,
  total: 100_000,
  startedAt: '2026-12-01T08:00:00.000Z',
  finishedAt: null,
  error: null,
  result: null,
  ...patch,
});

describe('ReservationProgress', () => {
  it('shows how far a running reservation is, and cancels that job', async () => {
    fake.answers['jobs.cancel'] = () => ({ cancelled: true });
    render(<ReservationProgress job={job({})} />);
    expect(screen.getByRole('status').textContent).toBe('25,000 of 100,000 reserved (25%)');
    expect(screen.getByLabelText('Reservation progress')).toHaveProperty('value', 25_000);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(fake.calls).toContainEqual({ operation: 'jobs.cancel', request: { jobId: 'J7' } });
  });

  it('says plainly when it is done or cancelled, with no Cancel button', () => {
    const { rerender } = render(<ReservationProgress job={job({ state: 'done', done: 100_000 })} />);
    expect(screen.getByRole('status').textContent).toBe('Done: 100,000 claim IDs reserved.');
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    rerender(<ReservationProgress job={job({ state: 'cancelled', done: 4_321 })} />);
    expect(screen.getByRole('status').textContent).toBe('Cancelled at 4,321: resume it from the order.');
  });

  it('shows a failure with its sentence and the technical detail one click away', () => {
    render(
      <ReservationProgress
        job={job({
          state: 'failed',
          error: {
            code: 'internal',
            message: 'The disk is full: free space and resume.',
            detail: 'SQLITE_FULL',
          },
        })}
      />,
    );
    expect(screen.getByRole('status').textContent).toBe('Failed.');
    expect(screen.getByRole('alert').textContent).toContain('The disk is full: free space and resume.');
    expect(screen.getByText('Technical detail')).toBeTruthy();
  });
});
