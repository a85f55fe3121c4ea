import { useEffect, useState } from 'react';
import type { LineStatusReport } from '../../../../electron/shared/contract';
import { api } from '../../api';

export function lineBadgeText(s: LineStatusReport): string {
  const time = s.since
    ? new Date(s.since).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : '';
  if (s.state === 'offline') return `Line offline since ${time}`;
  if (s.state === 'refused') return 'Line refused';
  if (s.state === 'connecting') return 'Line: connecting';
  if (s.pending > 0) return `Line: catching up ${s.pending.toLocaleString()} events`;
  return 'Line connected';
}

/** Line mode at a glance, in the navigation: hidden when the station works alone. */
export function LineBadge() {
  const [status, setStatus] = useState<LineStatusReport | null>(null);
  useEffect(() => {
    void api.line.getStatus().then((r) => r.ok && setStatus(r.value));
    return api.on('lineChanged', setStatus);
  }, []);
  if (!status || status.state === 'standalone') return null;
  return (
    <a
      href="#/line"
      className={`line-badge line-${status.state}${status.pending > 0 ? ' line-catching-up' : ''}`}
      role="status"
      data-testid="line-badge"
      title={status.message ?? status.url ?? ''}
    >
      {lineBadgeText(status)}
    </a>
  );
}
