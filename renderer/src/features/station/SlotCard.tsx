import { useState } from 'react';
import type { StationSlotReport, StepReport, UnitRunReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { SlotTerminal } from './SlotTerminal';
import { SlotWarning } from './SlotWarning';

const stepLabel: Record<StepReport['step'], string> = {
  connect: 'Connect',
  claim: 'Claim ID',
  write: 'Write',
  verify: 'Read back',
  commit: 'Save',
  after: 'Label & cloud',
};

const stageLabel: Record<NonNullable<StepReport['stages']>[number]['stage'], string> = {
  erase: 'Erase',
  write: 'Write flash',
  verify: 'Verify (MD5 + read-back)',
};

function bytes(n: number): string {
  return n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

function StepBar({ step }: { step: StepReport }) {
  const fraction =
    step.status === 'done' || step.status === 'skipped'
      ? 1
      : step.bytesTotal > 0
        ? step.bytesDone / step.bytesTotal
        : step.status === 'running'
          ? 0.5
          : 0;
  return (
    <li className={`step step-${step.status}`}>
      <span className="step-name">{stepLabel[step.step]}</span>
      <progress
        max={1}
        value={fraction}
        aria-label={`${stepLabel[step.step]}: ${step.status}`}
        data-status={step.status}
      />
      <span className="step-figures">
        {step.bytesTotal > 0 ? `${bytes(step.bytesDone)} / ${bytes(step.bytesTotal)} · ` : ''}
        {step.status === 'pending'
          ? ''
          : step.status === 'skipped'
            ? 'skipped'
            : `${(step.ms / 1000).toFixed(1)} s`}
      </span>
      {step.stages?.length ? (
        <ul className="stages">
          {step.stages.map((st) => (
            <li key={st.stage} data-stage={st.stage} data-done={st.done ? 'yes' : 'no'}>
              <span>{stageLabel[st.stage]}</span>
              <progress max={1} value={st.done ? 1 : st.bytesTotal > 0 ? st.bytesDone / st.bytesTotal : 0} />
              <span className="step-figures">
                {bytes(st.bytesDone)} / {bytes(st.bytesTotal)}
                {st.done ? ' ✓' : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** The card's headline: what the slot is doing, or what it needs before it can take a unit. */
export function verdictTitle(report: StationSlotReport, hasOrder = true): string {
  if (report.status === 'pass') return 'PASS';
  if (report.status === 'fail') return report.identity === 'conflict' ? 'STOP' : 'FAIL';
  if (report.status === 'running') return 'WORKING';
  if (report.portState === 'unbound') return 'NO PORT BOUND';
  if (report.portState === 'missing') return 'PORT MISSING';
  // Never READY without a work order: a scan could not take an ID.
  if (!hasOrder) return 'NO WORK ORDER';
  return 'READY';
}

function Verdict({ report, hasOrder }: { report: StationSlotReport; hasOrder: boolean }) {
  const title = verdictTitle(report, hasOrder);
  if (report.status === 'pass')
    return (
      <div className="verdict verdict-pass" role="status">
        <strong>{title}</strong>
        {report.identity === 'already-provisioned' ? <p className="already">Already provisioned</p> : null}
        <p>{report.nextAction}</p>
        {report.warnings.map((w) => (
          <SlotWarning key={w} text={w} />
        ))}
      </div>
    );
  if (report.status === 'fail')
    return (
      <div
        className={`verdict verdict-fail${report.identity === 'conflict' ? ' verdict-conflict' : ''}`}
        role="alert"
      >
        <strong>{title}</strong>
        <p>{report.failure?.message}</p>
        <p>{report.nextAction}</p>
      </div>
    );
  return (
    <div className={`verdict verdict-${report.status}${report.portState !== 'ok' ? ' verdict-noport' : ''}`}>
      <strong>{title}</strong>
      <p>
        {title === 'NO WORK ORDER'
          ? 'No work order is set: the engineer sets one before the shift.'
          : report.nextAction}
      </p>
    </div>
  );
}

/** A label again for a unit that is already provisioned: only on request, always with a reason. */
function Reprint({ claimId }: { claimId: string }) {
  const [reason, setReason] = useState('');
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  if (!open)
    return (
      <button onClick={() => setOpen(true)} type="button">
        Reprint label…
      </button>
    );
  return (
    <form
      className="reprint"
      onSubmit={(e) => {
        e.preventDefault();
        void api.labels.reprint({ claimId, reason: reason.trim() }).then((r) => {
          setNote(r.ok ? 'Label sent to the printer.' : r.error.message);
          if (r.ok) setOpen(false);
        });
      }}
    >
      <label>
        <span>Reason</span>
        <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="label damaged" />
      </label>
      <button type="submit" disabled={!reason.trim()}>
        Reprint
      </button>
      {note ? <p className="muted">{note}</p> : null}
    </form>
  );
}

/** The claim ID large; a long one may break in the middle, never mid-group (text stays whole). */
function ClaimIdText({ claimId }: { claimId: string }) {
  const half = Math.ceil(claimId.length / 2);
  return (
    <>
      {claimId.slice(0, half)}
      <wbr />
      {claimId.slice(half)}
    </>
  );
}

/** What was written and why it failed, one click away. */
function Technical({ report }: { report: StationSlotReport }) {
  const [run, setRun] = useState<UnitRunReport | null>(null);
  const [consoleText, setConsoleText] = useState('');
  const [open, setOpen] = useState(false);
  return (
    <details
      className="technical"
      onToggle={(e) => {
        const isOpen = e.currentTarget.open;
        setOpen(isOpen);
        if (isOpen && report.claimId)
          void api.station.getUnitRun({ claimId: report.claimId }).then((r) => setRun(r.ok ? r.value : null));
        if (isOpen)
          void api.station
            .getSlotConsole({ slot: report.slot })
            .then((r) => setConsoleText(r.ok ? r.value.text : ''));
      }}
    >
      <summary>Technical detail</summary>
      {open ? (
        <dl>
          <dt>Port</dt>
          <dd className="mono">{report.port ?? '—'}</dd>
          <dt>Serial</dt>
          <dd className="mono">{report.serial ?? '—'}</dd>
          <dt>Unit state</dt>
          <dd>{report.unitState ?? '—'}</dd>
          <dt>Retransmissions</dt>
          <dd>{report.retransmissions}</dd>
          {report.failure ? (
            <>
              <dt>Error</dt>
              <dd>
                <pre>{`${report.failure.code}\n${report.failure.detail ?? ''}`}</pre>
              </dd>
            </>
          ) : null}
          {run?.files.map((f) => (
            <FileRow key={f.path} file={f} />
          ))}
          <dt>Console</dt>
          <dd>
            <pre className="console" aria-label={`Slot ${report.slot} console`}>
              {consoleText || '(nothing printed)'}
            </pre>
          </dd>
        </dl>
      ) : null}
    </details>
  );
}

function FileRow({ file }: { file: UnitRunReport['files'][number] }) {
  return (
    <>
      <dt className="mono">{file.path}</dt>
      <dd>
        <span className="mono">
          {file.size} B · sha256 {file.sha256.slice(0, 16)}… · {file.verifiedAt ? 'verified' : 'not verified'}
        </span>
        {file.content !== null ? (
          <pre className="file-content">{file.content}</pre>
        ) : (
          <p className="muted">Secret: not kept.</p>
        )}
      </dd>
    </>
  );
}

export function SlotCard(props: {
  report: StationSlotReport;
  targeted: boolean;
  canStart: boolean;
  onTarget: () => void;
  onStart: () => void;
}) {
  const { report } = props;
  const [error, setError] = useState<Parameters<typeof ErrorNote>[0]['error'] | null>(null);
  const act =
    (call: () => Promise<{ ok: boolean; error?: Parameters<typeof ErrorNote>[0]['error'] }>) => () => {
      setError(null);
      void call().then((r) => setError(r.ok ? null : (r.error ?? null)));
    };
  return (
    <article
      className={`slot slot-${report.status}${props.targeted ? ' slot-target' : ''}`}
      aria-label={`Slot ${report.slot}`}
      onClick={props.onTarget}
    >
      <header>
        <h2>Slot {report.slot}</h2>
        <span className="mono muted">
          {report.port ?? (report.portState === 'unbound' ? 'no port bound' : 'port missing')}
        </span>
        {props.targeted ? <span className="target-badge">next scan</span> : null}
      </header>
      <p className="claim-id slot-claim" data-testid={`slot-${report.slot}-claim`}>
        {report.claimId ? <ClaimIdText claimId={report.claimId} /> : '—'}
      </p>
      {report.rework ? <p className="muted">Same claim ID (rework)</p> : null}
      <Verdict report={report} hasOrder={props.canStart} />
      <ol className="steps">
        {report.steps.map((s) => (
          <StepBar key={s.step} step={s} />
        ))}
      </ol>
      <div className="slot-actions">
        {report.status === 'running' ? (
          <button onClick={act(() => api.station.cancelUnit({ slot: report.slot }))}>Cancel</button>
        ) : null}
        {report.status === 'fail' && report.identity !== 'conflict' ? (
          <button className="primary" onClick={act(() => api.station.retryUnit({ slot: report.slot }))}>
            Retry
          </button>
        ) : null}
        {report.status === 'idle' ? (
          <button disabled={!props.canStart || report.portState !== 'ok'} onClick={props.onStart}>
            Start without scan
          </button>
        ) : null}
        {report.status === 'pass' && report.identity === 'already-provisioned' && report.claimId ? (
          <Reprint claimId={report.claimId} />
        ) : null}
        {report.status === 'pass' || report.status === 'fail' ? (
          <button onClick={act(() => api.station.clearSlot({ slot: report.slot }))}>Clear</button>
        ) : null}
      </div>
      {error ? <ErrorNote error={error} /> : null}
      {report.claimId || report.failure ? <Technical report={report} /> : null}
      <SlotTerminal slot={report.slot} port={report.port} busy={report.status === 'running'} />
    </article>
  );
}
