import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClaimIdReport, ErrorInfo, JobReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';

/** After this long without a claim ID the screen says why, instead of an endless "Watching…". */
export const HINT_AFTER_MS = 10_000;

/** Why a watched board has shown no claim ID yet, and what to try, in one sentence. */
function quietHint(path: string, bytes: number, seconds: number): string {
  if (bytes === 0)
    return `Nothing has come from ${path} in ${seconds} s: press the board's reset button, and check that this is its USB console port and that the board has power.`;
  return `${path} sends text (${bytes} bytes) but no claim ID after ${seconds} s: check the baud rate (the Ioto agent uses 115200), then press reset; a board without the Ioto agent never prints one.`;
}

/**
 * Plug a dev board in, and get its claim ID big, as a QR code and a link. A port that appears while
 * this tab is open is watched at once (like Etcher's drive detection); leaving the tab stops the
 * watch and releases the port.
 */
export function ClaimIdTab() {
  const ports = useOperation(() => api.devstore.listSerialPorts(undefined), []);
  const [path, setPath] = useState('');
  const [baud, setBaud] = useState('115200');
  const [framed, setFramed] = useState(false);
  const [watching, setWatching] = useState<{ jobId: string; path: string; since: number } | null>(null);
  const [received, setReceived] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [card, setCard] = useState<ClaimIdReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [copied, setCopied] = useState(false);
  const [plugged, setPlugged] = useState<string | null>(null);
  const jobId = watching?.jobId ?? null;

  useEffect(() => {
    if (!jobId) return;
    const seen = (job: JobReport) => {
      if (job.jobId !== jobId) return;
      if (job.state === 'running') return setReceived(job.done);
      setWatching(null);
      if (job.state === 'done') setCard(job.result as ClaimIdReport);
      else if (job.error && job.state !== 'cancelled') setError(job.error);
    };
    const off = api.on('jobProgress', seen, { jobId });
    // Progress events are throttled and the job may have ended before this subscription: poll too.
    const poll = () => void api.jobs.get({ jobId }).then((r) => r.ok && seen(r.value));
    poll();
    const timer = setInterval(() => {
      setNow(Date.now());
      poll();
    }, 1000);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [jobId]);

  // Leaving the tab stops the watch, so the port is free for the console or the station.
  const current = useRef<string | null>(null);
  current.current = jobId;
  useEffect(
    () => () => {
      if (current.current) void api.jobs.cancel({ jobId: current.current });
    },
    [],
  );

  const framedNow = useRef(framed);
  framedNow.current = framed;
  const watch = useCallback(async (portPath: string, baudRate: number) => {
    if (current.current) await api.jobs.cancel({ jobId: current.current });
    setCard(null);
    setError(null);
    setCopied(false);
    setReceived(0);
    const started = await api.devstore.watchClaimId({
      path: portPath,
      baudRate,
      ...(framedNow.current ? { framed: true } : {}),
    });
    if (started.ok) setWatching({ jobId: started.value.jobId, path: portPath, since: Date.now() });
    else {
      setWatching(null);
      setError(started.error);
    }
  }, []);

  // Plug-in detection: a port that appears now is the board just plugged in.
  const baudNow = useRef(baud);
  baudNow.current = baud;
  useEffect(
    () =>
      api.on('portsChanged', (event) => {
        ports.reload();
        const added = event.added[0];
        if (!added) return;
        setPath(added);
        setPlugged(added);
        void watch(added, Number(baudNow.current) || 115200);
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [watch],
  );

  const quietFor = watching ? now - watching.since : 0;
  return (
    <div className="claim-id-tab">
      <p className="lead">
        Plug the board's USB cable in: a port that appears now is watched at once. Or choose a port below,
        then reset the board. Lineside reads the agent's console and shows the board's claim ID. No work order
        or profile is needed.
      </p>
      <form
        className="form inline"
        onSubmit={(e) => {
          e.preventDefault();
          void watch(path.trim(), Number(baud) || 115200);
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
          <button
            type="button"
            onClick={() => {
              void api.jobs.cancel({ jobId });
              setWatching(null);
            }}
          >
            Stop watching
          </button>
        ) : (
          <button type="submit" disabled={!path.trim()}>
            Watch console
          </button>
        )}
      </form>
      {watching ? (
        <p className="watching" aria-live="polite" data-testid="claim-watching">
          {plugged === watching.path ? `${watching.path} was plugged in. ` : ''}
          {quietFor >= HINT_AFTER_MS
            ? quietHint(watching.path, received, Math.floor(quietFor / 1000))
            : `Watching ${watching.path} for "Device Claim ID"… reset the board if nothing appears.`}
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
  const current = useOperation(() => api.devstore.getClaimUrlTemplate(undefined), []);
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
          void api.devstore.setClaimUrlTemplate({ template: value }).then((r) => {
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
