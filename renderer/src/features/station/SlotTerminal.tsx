import { useEffect, useState } from 'react';
import type { ErrorInfo, TerminalReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { TerminalView } from '../terminal/LazyTerminalView';

/**
 * The slot's serial console, for when something goes wrong: opens the slot's port in a terminal
 * (only while no unit is running there; the run holds the port) and closes it again.
 */
export function SlotTerminal({ slot, port, busy }: { slot: number; port: string | null; busy: boolean }) {
  const [terminal, setTerminal] = useState<TerminalReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useEffect(
    () => () => {
      if (terminal) void api.serial.closeTerminal({ sessionId: terminal.sessionId });
    },
    [terminal],
  );

  if (!port) return null;
  async function open() {
    const result = await api.serial.openTerminal({ path: port! });
    setError(result.ok ? null : result.error);
    if (result.ok) setTerminal(result.value);
  }
  async function close() {
    if (terminal) await api.serial.closeTerminal({ sessionId: terminal.sessionId });
    setTerminal(null);
  }
  return (
    <div className="slot-terminal" onClick={(e) => e.stopPropagation()}>
      {terminal ? (
        <>
          <TerminalView
            key={terminal.sessionId}
            sessionId={terminal.sessionId}
            title={`Slot ${slot}: ${port}`}
          />
          <button onClick={() => void close()}>Close terminal</button>
        </>
      ) : (
        <button
          disabled={busy}
          onClick={() => void open()}
          title={busy ? 'The unit run holds the port' : undefined}
        >
          Terminal
        </button>
      )}
      {error ? <ErrorNote error={error} /> : null}
    </div>
  );
}
