import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo, SerialPortEntry, TerminalReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { TerminalView } from '../terminal/LazyTerminalView';
import {
  appendReceived,
  lineEndings,
  logText,
  showHex,
  showText,
  timeOf,
  type ConsoleLine,
  type LineEnding,
} from './consoleLines';

function fromBase64(data: string): Uint8Array {
  const bin = atob(data);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The unit's serial console, like a serial terminal on the bench: open/close by state, a send box
 * with the line ending the unit expects, timestamps, hex view, clear and save. "Terminal" gives a
 * live keyboard (xterm) for a Linux shell. Optionally logged to a file on the station.
 */
export function ConsoleTab() {
  const [path, setPath] = useState('');
  const [baud, setBaud] = useState('115200');
  const [log, setLog] = useState(true);
  const [ports, setPorts] = useState<SerialPortEntry[]>([]);
  const [terminal, setTerminal] = useState<TerminalReport | null>(null);
  const [opening, setOpening] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [view, setView] = useState<'lines' | 'terminal'>('lines');
  const [lines, setLines] = useState<{ lines: ConsoleLine[]; partial: ConsoleLine | null }>({
    lines: [],
    partial: null,
  });
  const [closedReason, setClosedReason] = useState<string | null>(null);

  useEffect(() => {
    void api.devstore.listSerialPorts().then((r) => {
      if (r.ok) setPorts(r.value);
    });
  }, []);
  // Leaving the tab closes the port, so the store browser or a station run can use it.
  useEffect(
    () => () => {
      if (terminal) void api.serial.closeTerminal({ sessionId: terminal.sessionId });
    },
    [terminal],
  );
  useEffect(() => {
    if (!terminal) return;
    return api.on(
      'terminalData',
      (event) => {
        if (event.data) {
          const bytes = fromBase64(event.data);
          const at = Date.now();
          setLines((s) => appendReceived(s.lines, s.partial, bytes, at));
        }
        if (event.closed) {
          setClosedReason(event.closed.reason);
          setTerminal(null);
        }
      },
      { sessionId: terminal.sessionId },
    );
  }, [terminal]);

  async function open() {
    setOpening(true);
    setClosedReason(null);
    const r = await api.serial.openTerminal({ path: path.trim(), baudRate: Number(baud), log });
    setOpening(false);
    setError(r.ok ? null : r.error);
    if (r.ok) setTerminal(r.value);
  }

  function close() {
    if (terminal) void api.serial.closeTerminal({ sessionId: terminal.sessionId });
    setTerminal(null);
  }

  const isOpen = terminal !== null;
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
            disabled={isOpen}
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
          <select value={baud} disabled={isOpen} onChange={(e) => setBaud(e.target.value)}>
            {['9600', '57600', '115200', '230400', '460800', '921600'].map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={log} disabled={isOpen} onChange={(e) => setLog(e.target.checked)} />
          <span>Log to a file</span>
        </label>
        <button type="submit" disabled={isOpen || opening || !path.trim()}>
          Open console
        </button>
        <button type="button" disabled={!isOpen} onClick={close}>
          Close console
        </button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
      {closedReason ? (
        <p role="status">The port closed ({closedReason}). Check the cable and open it again.</p>
      ) : null}
      {terminal?.logPath ? (
        <p className="muted">
          Logging to <code data-testid="console-log-path">{terminal.logPath}</code>
        </p>
      ) : null}
      <div role="radiogroup" aria-label="Console view" className="segmented">
        {(['lines', 'terminal'] as const).map((v) => (
          <label key={v} className="checkbox">
            <input type="radio" name="console-view" checked={view === v} onChange={() => setView(v)} />
            <span>{v === 'lines' ? 'Lines' : 'Terminal (keyboard)'}</span>
          </label>
        ))}
      </div>
      {terminal && view === 'terminal' ? (
        <TerminalView
          key={terminal.sessionId}
          sessionId={terminal.sessionId}
          title={`${terminal.path} at ${terminal.baudRate} baud`}
        />
      ) : null}
      {view === 'lines' ? (
        <LineConsole
          title={terminal ? `${terminal.path} at ${terminal.baudRate} baud` : 'Console closed'}
          sessionId={terminal?.sessionId ?? null}
          lines={lines.lines}
          partial={lines.partial}
          onSent={(bytes) =>
            setLines((s) => ({
              lines: [...s.lines, ...(s.partial ? [s.partial] : []), { at: Date.now(), dir: 'tx', bytes }],
              partial: null,
            }))
          }
          onClear={() => setLines({ lines: [], partial: null })}
        />
      ) : null}
    </div>
  );
}

function LineConsole(props: {
  title: string;
  sessionId: string | null;
  lines: ConsoleLine[];
  partial: ConsoleLine | null;
  onSent: (bytes: Uint8Array) => void;
  onClear: () => void;
}) {
  const [text, setText] = useState('');
  const [ending, setEnding] = useState<LineEnding>('crlf');
  const [stamps, setStamps] = useState(true);
  const [hex, setHex] = useState(false);
  const [sendError, setSendError] = useState<ErrorInfo | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const screen = useRef<HTMLDivElement>(null);
  const shown = props.partial ? [...props.lines, props.partial] : props.lines;

  useEffect(() => {
    const el = screen.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [shown.length, props.partial]);

  async function send() {
    if (!props.sessionId) return;
    const data = text + lineEndings[ending].text;
    const r = await api.serial.writeTerminal({ sessionId: props.sessionId, data });
    setSendError(r.ok ? null : r.error);
    if (r.ok) {
      props.onSent(new TextEncoder().encode(data));
      setText('');
    }
  }

  function save() {
    const blob = new Blob([logText(shown, hex)], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    const name = `console-${new Date().toISOString().replace(/[:.]/g, '-')}.log`;
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setSaved(name);
  }

  return (
    <div className="line-console">
      <div className="line-console-bar">
        <span className="terminal-title">{props.title}</span>
        <label className="checkbox">
          <input type="checkbox" checked={stamps} onChange={(e) => setStamps(e.target.checked)} />
          <span>Timestamps</span>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={hex} onChange={(e) => setHex(e.target.checked)} />
          <span>Hex</span>
        </label>
        <button type="button" onClick={props.onClear} disabled={shown.length === 0}>
          Clear
        </button>
        <button type="button" onClick={save} disabled={shown.length === 0}>
          Save log
        </button>
        {saved ? <span role="status">Saved {saved}</span> : null}
      </div>
      <div
        className="line-console-screen"
        ref={screen}
        data-testid="console-lines"
        aria-label="Console output"
      >
        {shown.map((l, i) => (
          <div key={i} className={`console-line console-${l.dir}`}>
            {stamps ? <span className="console-time">{timeOf(l.at)}</span> : null}
            <span className="console-dir">{l.dir === 'rx' ? '←' : '→'}</span>
            <span className="console-text">{hex ? showHex(l.bytes) : showText(l.bytes)}</span>
          </div>
        ))}
      </div>
      <form
        className="form inline send-box"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <label>
          <span>Send</span>
          <input
            value={text}
            spellCheck={false}
            autoComplete="off"
            disabled={!props.sessionId}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label>
          <span>Line ending</span>
          <select value={ending} onChange={(e) => setEnding(e.target.value as LineEnding)}>
            {(Object.keys(lineEndings) as LineEnding[]).map((k) => (
              <option key={k} value={k}>
                {lineEndings[k].label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!props.sessionId}>
          Send
        </button>
      </form>
      {sendError ? <ErrorNote error={sendError} /> : null}
    </div>
  );
}
