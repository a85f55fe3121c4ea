import { useEffect, useState } from 'react';
import type { ErrorInfo, SerialPortEntry, TerminalReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { TerminalView } from '../terminal/LazyTerminalView';

/** The unit's serial console, optionally logged to a file on the station. */
export function ConsoleTab() {
  const [path, setPath] = useState('');
  const [baud, setBaud] = useState('115200');
  const [log, setLog] = useState(true);
  const [ports, setPorts] = useState<SerialPortEntry[]>([]);
  const [terminal, setTerminal] = useState<TerminalReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    void api.listSerialPorts().then((r) => {
      if (r.ok) setPorts(r.value);
    });
  }, []);
  // Leaving the tab closes the port, so the store browser or a station run can use it.
  useEffect(
    () => () => {
      if (terminal) void api.closeTerminal({ sessionId: terminal.sessionId });
    },
    [terminal],
  );

  async function open() {
    if (terminal) await api.closeTerminal({ sessionId: terminal.sessionId });
    setTerminal(null);
    const r = await api.openTerminal({ path: path.trim(), baudRate: Number(baud), log });
    setError(r.ok ? null : r.error);
    if (r.ok) setTerminal(r.value);
  }

  return (
    <div className="console-tab">
      <form
        className="form inline"
        onSubmit={(e) => {
          e.preventDefault();
          void open();
        }}
      >
        <label>
          <span>Console port</span>
          <input
            list="console-ports"
            value={path}
            spellCheck={false}
            placeholder="/dev/ttyUSB0"
            onChange={(e) => setPath(e.target.value)}
          />
          <datalist id="console-ports">
            {ports.map((p) => (
              <option key={p.path} value={p.path} />
            ))}
          </datalist>
        </label>
        <label>
          <span>Baud</span>
          <select value={baud} onChange={(e) => setBaud(e.target.value)}>
            {['9600', '57600', '115200', '230400', '460800', '921600'].map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} />
          <span>Log to a file</span>
        </label>
        <button type="submit" disabled={!path.trim()}>
          Open console
        </button>
        {terminal ? (
          <button
            type="button"
            onClick={() => {
              void api.closeTerminal({ sessionId: terminal.sessionId });
              setTerminal(null);
            }}
          >
            Close console
          </button>
        ) : null}
      </form>
      {error ? <ErrorNote error={error} /> : null}
      {terminal?.logPath ? (
        <p className="muted">
          Logging to <code data-testid="console-log-path">{terminal.logPath}</code>
        </p>
      ) : null}
      {terminal ? (
        <TerminalView
          key={terminal.sessionId}
          sessionId={terminal.sessionId}
          title={`${terminal.path} at ${terminal.baudRate} baud`}
        />
      ) : null}
    </div>
  );
}
