import fs from 'node:fs';
import path from 'node:path';
import type { TerminalDataEvent, TerminalReport } from '../../shared/contract';
import type { Clock } from '../clock';
import { Failure } from '../failure';
import type { SerialLink } from './link';

export interface Terminals {
  /** With `log`, everything received is also appended to a file under `logDir`. */
  open(options: { path: string; baudRate: number; log?: boolean }): Promise<TerminalReport>;
  write(sessionId: string, data: string): Promise<void>;
  close(sessionId: string): Promise<void>;
  closeAll(): Promise<void>;
}

/** Serial terminal sessions: received bytes stream out as events; live handles stay in core. */
export function createTerminals(deps: {
  openLink: (options: { path: string; baudRate: number }) => Promise<SerialLink>;
  emit: (event: TerminalDataEvent) => void;
  newId: () => string;
  /** Where terminal logs go (e.g. `<data dir>/logs/terminal`). */
  logDir?: string;
  clock?: Clock;
}): Terminals {
  const sessions = new Map<string, SerialLink>();
  const logs = new Map<string, () => void>();

  /** `<time>-<port>.log`, opened for appending; the first line says what it is. */
  function openLog(portPath: string, baudRate: number): { file: string; fd: number } {
    if (!deps.logDir)
      throw new Failure('internal', 'This station has no place for terminal logs.', { field: 'log' });
    const now = (deps.clock?.now() ?? new Date()).toISOString();
    const name = `${now.replace(/[:.]/g, '-')}-${path.basename(portPath).replace(/[^\w.-]+/g, '_')}.log`;
    fs.mkdirSync(deps.logDir, { recursive: true });
    const file = path.join(deps.logDir, name);
    const fd = fs.openSync(file, 'a', 0o600);
    fs.writeSync(fd, `# Lineside terminal log: ${portPath} at ${baudRate} baud, opened ${now}\n`);
    return { file, fd };
  }

  function get(sessionId: string): SerialLink {
    const link = sessions.get(sessionId);
    if (!link) throw new Failure('not-found', 'This terminal is closed. Open the port again.');
    return link;
  }

  return {
    async open({ path: portPath, baudRate, log }) {
      const link = await deps.openLink({ path: portPath, baudRate });
      let logFile: { file: string; fd: number } | null = null;
      try {
        logFile = log ? openLog(portPath, baudRate) : null;
      } catch (error) {
        await link.close();
        throw error;
      }
      const sessionId = deps.newId();
      sessions.set(sessionId, link);
      link.onData((chunk) => {
        if (logFile) fs.writeSync(logFile.fd, chunk);
        deps.emit({ sessionId, path: portPath, data: chunk.toString('base64') });
      });
      const closeLog = () => {
        if (logFile) fs.closeSync(logFile.fd);
        logFile = null;
        logs.delete(sessionId);
      };
      const logPath = logFile?.file ?? null;
      if (logFile) logs.set(sessionId, closeLog);
      link.onClose((reason) => {
        sessions.delete(sessionId);
        closeLog();
        deps.emit({ sessionId, path: portPath, data: '', closed: { reason } });
      });
      return { sessionId, path: portPath, baudRate, logPath };
    },
    async write(sessionId, data) {
      await get(sessionId).write(Buffer.from(data, 'utf8'));
    },
    async close(sessionId) {
      const link = sessions.get(sessionId);
      if (link) await link.close();
      sessions.delete(sessionId);
      logs.get(sessionId)?.();
    },
    async closeAll() {
      await Promise.all([...sessions.values()].map((l) => l.close()));
      sessions.clear();
      for (const closeLog of [...logs.values()]) closeLog();
    },
  };
}
