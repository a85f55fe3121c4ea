import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo, JobReport, OrderLabelsReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';

/** Prints every label of a work order not printed yet, as a job with a progress bar. */
export function BatchPrint({ onPrinted }: { onPrinted: () => void }) {
  const [orderId, setOrderId] = useState('');
  const [job, setJob] = useState<JobReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  // The job being shown; events for it may arrive before getJob answers.
  const current = useRef<string | null>(null);

  // No scope: the station sends a page the progress of the jobs it started itself.
  useEffect(
    () =>
      api.on('jobProgress', (report) => {
        if (report.jobId === current.current) setJob(report);
      }),
    [],
  );
  const ended = job && job.state !== 'running' ? job.jobId : null;
  useEffect(() => {
    if (ended) onPrinted();
  }, [ended, onPrinted]);

  async function start(e?: React.FormEvent) {
    e?.preventDefault();
    setError(null);
    const started = await api.labels.printOrder({ orderId: orderId.trim() });
    if (!started.ok) {
      setError(started.error);
      return;
    }
    current.current = started.value.jobId;
    const report = await api.jobs.get({ jobId: started.value.jobId });
    // Keep whichever is further along: this answer or an event that overtook it.
    if (report.ok)
      setJob((shown) =>
        shown?.jobId === report.value.jobId && (shown.state !== 'running' || shown.done > report.value.done)
          ? shown
          : report.value,
      );
  }

  async function cancel() {
    if (job) await api.jobs.cancel({ jobId: job.jobId });
  }

  const result = job?.state === 'done' ? (job.result as OrderLabelsReport) : null;
  return (
    <div className="panel">
      <h2>Print an order</h2>
      <form className="form" onSubmit={(e) => void start(e)} aria-label="Print an order">
        <label>
          <span>Work order</span>
          <input value={orderId} onChange={(e) => setOrderId(e.target.value)} placeholder="WO-1234" />
        </label>
        <button type="submit" disabled={!orderId.trim() || job?.state === 'running'}>
          Print labels
        </button>
        {job?.state === 'running' ? (
          <button type="button" onClick={() => void cancel()}>
            Cancel
          </button>
        ) : null}
      </form>
      {job ? (
        <div className="batch-progress">
          <progress aria-label="Labels printed" max={Math.max(job.total, 1)} value={job.done} />
          <p role="status" data-testid="batch-status">
            {job.done} of {job.total} labels printed
            {job.state === 'done' && result
              ? ` · done${result.notVerified ? ` · ${result.notVerified} unit(s) not verified, no label` : ''}`
              : job.state === 'running'
                ? ' · printing…'
                : ` · ${job.state}`}
          </p>
          {job.error && job.state === 'failed' ? (
            <>
              <ErrorNote error={job.error} />
              <button type="button" onClick={() => void start()}>
                Retry
              </button>
            </>
          ) : null}
        </div>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
    </div>
  );
}
