import type { TerminalDataEvent, TerminalReport } from '../../shared/contract';
import { Failure } from '../failure';
import type { SerialLink } from './link';

export interface Terminals {
  open(options: { path: string; baudRate: number }): Promise<TerminalReport>;
  write(sessionId: string, data: string): Promise<void>;
  close(sessionId: string): Promise<void>;
  closeAll(): Promise<void>;
}

/** Serial terminal sessions: received bytes stream out as events; live handles stay in core. */
export function createTerminals(deps: {
  openLink: (options: { path: string; baudRate: number }) => Promise<SerialLink>;
  emit: (event: TerminalDataEvent) => void;
  newId: () => string;
}): Terminals {
  const sessions = new Map<string, SerialLink>();

  function get(sessionId: string): SerialLink {
    const link = sessions.get(sessionId);
    if (!link) throw new Failure('not-found', 'This terminal is closed. Open the port again.');
    return link;
  }

  return {
    async open({ path, baudRate }) {
      const link = await deps.openLink({ path, baudRate });
      const sessionId = deps.newId();
      sessions.set(sessionId, link);
      link.onData((chunk) => deps.emit({ sessionId, data: chunk.toString('base64') }));
      link.onClose((reason) => {
        sessions.delete(sessionId);
        deps.emit({ sessionId, data: '', closed: { reason } });
      });
      return { sessionId, path, baudRate };
    },
    async write(sessionId, data) {
      await get(sessionId).write(Buffer.from(data, 'utf8'));
    },
    async close(sessionId) {
      const link = sessions.get(sessionId);
      if (link) await link.close();
      sessions.delete(sessionId);
    },
    async closeAll() {
      await Promise.all([...sessions.values()].map((l) => l.close()));
      sessions.clear();
    },
  };
}
