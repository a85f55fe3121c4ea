import { useEffect, useState } from 'react';
import type { ClaimIdReport, ErrorInfo, JobReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';

/** Plug a dev board in, pick its port, and get its claim ID big, as a QR code and a link. */
export function ClaimIdTab() {
  const ports = useOperation(() => api.listSerialPorts(undefined), []);
  const [path, setPath] = useState('');
  const [baud, setBaud] = useState('115200');
  const [framed, setFramed] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [card, setCard] = useState<ClaimIdReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!jobId) return;
    const finished = (job: JobReport) => {
      if (job.jobId !== jobId || job.state === 'running') return;
      setJobId(null);
      if (job.state === 'done') setCard(job.result as ClaimIdReport);
      else if (job.error) setError(job.error);
    };
    const off = api.on('jobProgress', finished);
    // The job may have ended before this subscription: ask once.
    void api.getJob({ jobId }).then((r) => r.ok && finished(r.value));
    return off;
  }, [jobId]);

  async function watch() {
    setCard(null);
    setError(null);
    setCopied(false);
    const started = await api.watchClaimId({
      path: path.trim(),
      baudRate: Number(baud) || 115200,
      ...(framed ? { framed: true } : {}),
    });
    if (started.ok) setJobId(started.value.jobId);
    else setError(started.error);
  }

  return (
    <div className="claim-id-tab">
      <p className="lead">
        Connect the board's USB serial port, choose it below, then reset the board. Lineside reads the agent's
        console and shows the board's claim ID. No work order or profile is needed.
      </p>
      <form
        className="form inline"
        onSubmit={(e) => {
          e.preventDefault();
          void watch();
        }}
      >
        <label>
          <span>Serial port</span>
          <input
            list="serial-ports"
            value={path}
            autoFocus
            spellCheck={false}
            placeholder="/dev/ttyUSB0"
            onChange={(e) => setPath(e.target.value)}
          />
          <datalist id="serial-ports">
            {ports.value?.map((p) => (
              <option key={p.path} value={p.path}>
                {[p.manufacturer, p.serialNumber].filter(Boolean).join(' ')}
              </option>
            ))}
          </datalist>
        </label>
        <label>
          <span>Baud rate</span>
          <input value={baud} inputMode="numeric" onChange={(e) => setBaud(e.target.value)} />
        </label>
        <label
          className="check"
          title="Only for boards running Lineside's framed protocol. A quiet Linux console only gets Enter: a binary probe would stop its agent."
        >
          <input type="checkbox" checked={framed} onChange={(e) => setFramed(e.target.checked)} />
          <span>Board speaks the framed protocol</span>
        </label>
        {jobId ? (
          <button type="button" onClick={() => void api.cancelJob({ jobId })}>
            Stop watching
          </button>
        ) : (
          <button type="submit" disabled={!path.trim()}>
            Watch console
          </button>
        )}
      </form>
      {jobId ? (
        <p className="watching" aria-live="polite">
          Watching {path} for "Device Claim ID"… reset the board if nothing appears.
        </p>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      {card ? (
        <div className="claim-card" aria-label="Claim ID">
          <p className="claim-card-label">Device Claim ID</p>
          <p className="claim-card-id" data-testid="claim-id">
            {card.claimId}
          </p>
          {/* SVG text from the station's own QR encoder. */}
          <div
            className="claim-card-qr"
            role="img"
            aria-label={`QR code of ${card.claimId}`}
            dangerouslySetInnerHTML={{ __html: card.qrSvg }}
          />
          <div className="claim-card-actions">
            <button
              onClick={() =>
                void navigator.clipboard?.writeText(card.claimId).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {copied ? 'Copied' : 'Copy claim ID'}
            </button>
            <a href={card.claimUrl} target="_blank" rel="noreferrer noopener">
              Open the claim page
            </a>
          </div>
          {card.line ? <p className="muted">Seen on the console: {card.line}</p> : null}
        </div>
      ) : null}
      <ClaimUrlSetting />
    </div>
  );
}

function ClaimUrlSetting() {
  const current = useOperation(() => api.getClaimUrlTemplate(undefined), []);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const value = draft ?? current.value?.template ?? '';
  return (
    <details className="claim-url-setting">
      <summary>Claim page link</summary>
      <form
        className="form inline"
        onSubmit={(e) => {
          e.preventDefault();
          void api.setClaimUrlTemplate({ template: value }).then((r) => {
            setError(r.ok ? null : r.error);
            if (r.ok) {
              setDraft(null);
              current.reload();
            }
          });
        }}
      >
        <label>
          <span>Link ({'{claimId}'} is replaced by the ID)</span>
          <input value={value} spellCheck={false} onChange={(e) => setDraft(e.target.value)} />
        </label>
        <button type="submit">Save link</button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
    </details>
  );
}
