import { useState } from 'react';
import type { EventEntry } from '../../../../electron/shared/contract';

/** How an event reads on the timeline, and its colour: failures red, good outcomes green. */
function tone(kind: string): 'fail' | 'pass' | 'info' {
  if (/fail|refused|rejected|void|mismatch/.test(kind)) return 'fail';
  if (/verified|provisioned|registered|printed|pass/.test(kind)) return 'pass';
  return 'info';
}

function reasonOf(data: Record<string, unknown>): string | null {
  for (const key of ['reason', 'message', 'error']) {
    const v = data[key];
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string')
      return (v as { message: string }).message;
  }
  return null;
}

/** A unit's history as a timeline, oldest first: what happened, when, by whom and in which role. */
export function UnitTimeline({ events }: { events: EventEntry[] }) {
  if (events.length === 0) return <p className="muted">No events recorded for this unit.</p>;
  return (
    <ol className="timeline" aria-label="History">
      {events.map((e, i) => {
        const previous = events[i - 1];
        const gap = previous ? new Date(e.at).getTime() - new Date(previous.at).getTime() : 0;
        const reason = reasonOf(e.data);
        return (
          <li key={e.id} className={`timeline-event tone-${tone(e.kind)}`}>
            <span className="timeline-dot" aria-hidden="true" />
            <div className="timeline-body">
              <strong className="mono">{e.kind}</strong>
              {reason ? <span className="timeline-reason"> · {reason}</span> : null}
              <div className="muted">
                <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
                {gap >= 1000 ? ` (+${formatGap(gap)})` : ''} · {e.operator}
                {e.role ? ` (${e.role})` : ''} · {e.station}
              </div>
              <EventDetail data={e.data} />
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function formatGap(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} d`;
}

/** The event's data, one click away (rendered only when opened). */
function EventDetail({ data }: { data: Record<string, unknown> }) {
  const [open, setOpen] = useState(false);
  if (Object.keys(data).length === 0) return null;
  return (
    <details onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Detail</summary>
      {open ? <pre>{JSON.stringify(data, null, 2)}</pre> : null}
    </details>
  );
}
