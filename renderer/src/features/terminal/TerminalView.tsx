import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';

function fromBase64(data: string): Uint8Array {
  const bin = atob(data);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * A serial terminal on an open session: what the unit prints streams in as `terminalData` events,
 * what is typed goes out with `writeTerminal`. The port itself stays in the station's core.
 */
export function TerminalView({ sessionId, title }: { sessionId: string; title: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [closed, setClosed] = useState<string | null>(null);

  useEffect(() => {
    const term = new Terminal({
      convertEol: false,
      cursorBlink: true,
      fontSize: 16,
      rows: 20,
      scrollback: 5000,
      theme: { background: '#0b0f14' },
    });
    term.open(host.current!);
    term.focus();
    const offData = api.on(
      'terminalData',
      (event) => {
        if (event.data) term.write(fromBase64(event.data));
        if (event.closed) setClosed(event.closed.reason);
      },
      { sessionId },
    );
    // One write in flight at a time, keystrokes typed meanwhile batched behind it: separate
    // requests could overtake each other and scramble what reaches the unit.
    let pending = '';
    let inFlight = false;
    const flush = async () => {
      if (inFlight || pending === '') return;
      inFlight = true;
      const data = pending;
      pending = '';
      await api.serial.writeTerminal({ sessionId, data });
      inFlight = false;
      await flush();
    };
    const typed = term.onData((data) => {
      pending += data;
      void flush();
    });
    return () => {
      offData();
      typed.dispose();
      term.dispose();
    };
  }, [sessionId]);

  return (
    <div className="terminal">
      <div className="terminal-title">{title}</div>
      <div className="terminal-screen" ref={host} data-testid="terminal" aria-label={`Terminal ${title}`} />
      {closed ? (
        <p role="status" className="terminal-closed">
          The port closed ({closed}). Check the cable and open it again.
        </p>
      ) : null}
    </div>
  );
}
