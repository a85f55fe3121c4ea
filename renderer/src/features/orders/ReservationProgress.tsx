import type { JobReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';

/** A reservation's progress bar; says plainly when it is done, failed or cancelled. */
export function ReservationProgress({ job }: { job: JobReport }) {
  const pct = job.total ? Math.round((job.done / job.total) * 100) : 0;
  return (
    <div className="job" aria-label="Reservation">
      <div className="job-label">{job.label}</div>
      <progress aria-label="Reservation progress" value={job.done} max={job.total || 1} />
      <div role="status" className={`job-state job-${job.state}`}>
        {job.state === 'running'
          ? `${job.done.toLocaleString('en')} of ${job.total.toLocaleString('en')} reserved (${pct}%)`
          : job.state === 'done'
            ? `Done: ${job.total.toLocaleString('en')} claim IDs reserved.`
            : job.state === 'cancelled'
              ? `Cancelled at ${job.done.toLocaleString('en')}: resume it from the order.`
              : 'Failed.'}
      </div>
      {job.state === 'running' ? (
        <button onClick={() => void api.jobs.cancel({ jobId: job.jobId })}>Cancel</button>
      ) : null}
      {job.error && job.state === 'failed' ? <ErrorNote error={job.error} /> : null}
    </div>
  );
}
