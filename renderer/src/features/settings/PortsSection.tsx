import { useEffect, useState } from 'react';
import type { ErrorInfo, SlotBinding, SlotMatch, TerminalReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { TerminalView } from '../terminal/LazyTerminalView';

type MatchKind = SlotMatch['kind'];

interface SlotRow {
  slot: number;
  kind: MatchKind;
  value: string;
}

function toRow(b: SlotBinding): SlotRow {
  const m = b.match;
  const value =
    m.kind === 'location'
      ? m.location
      : m.kind === 'path'
        ? m.path
        : [m.vendorId ?? '', m.productId ?? '', m.serialNumber ?? ''].join(':');
  return { slot: b.slot, kind: m.kind, value };
}

function toBinding(r: SlotRow): SlotBinding {
  if (r.kind === 'location') return { slot: r.slot, match: { kind: 'location', location: r.value.trim() } };
  if (r.kind === 'path') return { slot: r.slot, match: { kind: 'path', path: r.value.trim() } };
  const [vendorId, productId, serialNumber] = r.value.split(':').map((s) => s.trim());
  return {
    slot: r.slot,
    match: {
      kind: 'usb',
      ...(vendorId ? { vendorId } : {}),
      ...(productId ? { productId } : {}),
      ...(serialNumber ? { serialNumber } : {}),
    },
  };
}

const placeholders: Record<MatchKind, string> = {
  location: 'USB location, e.g. 1-1.2',
  usb: 'VID:PID:serial, e.g. 10c4:ea60:0001',
  path: 'port path, e.g. /dev/ttyUSB0',
};

/** Ports the OS lists (live), fixture slots bound to them, and a serial terminal on any port. */
export function PortsSection() {
  const ports = useOperation(() => api.serial.listPorts(), []);
  const slots = useOperation(() => api.serial.getSlots(), []);
  // The rows shown are the saved bindings until the engineer edits them; from then on the edits
  // (a draft started from what the screen showed) win over a late or live reload. Deriving this
  // in render, not copying the load into state in an effect, is what keeps a click made before
  // the effect ran: that effect used to overwrite the row the click had just added.
  const [draft, setDraft] = useState<SlotRow[] | null>(null);
  const saved = slots.value?.map((s) => toRow(s.binding)) ?? [];
  const rows = draft ?? saved;
  const setRows = (update: (rows: SlotRow[]) => SlotRow[]) => setDraft((d) => update(d ?? saved));
  // Edits not applied yet (say, a slot added before the saved ones had loaded): Apply replaces the
  // saved bindings with these rows, so the screen says so and offers the saved ones back.
  const same = (a: SlotRow[], b: SlotRow[]) =>
    JSON.stringify(a.map(toBinding)) === JSON.stringify(b.map(toBinding));
  const unsaved = draft !== null && !slots.loading && slots.value !== null && !same(draft, saved);
  const [slotError, setSlotError] = useState<ErrorInfo | null>(null);
  const [termPath, setTermPath] = useState('');
  const [baud, setBaud] = useState('115200');
  const [terminal, setTerminal] = useState<TerminalReport | null>(null);
  const [termError, setTermError] = useState<ErrorInfo | null>(null);

  const reloadPorts = ports.reload;
  const reloadSlots = slots.reload;
  useEffect(
    () =>
      api.on('portsChanged', () => {
        reloadPorts();
        reloadSlots();
      }),
    [reloadPorts, reloadSlots],
  );

  async function saveSlots(e: React.FormEvent) {
    e.preventDefault();
    const result = await api.serial.setSlots({ slots: rows.map(toBinding) });
    setSlotError(result.ok ? null : result.error);
    // The rows already show what was saved; only the resolved ports need fetching.
    if (result.ok) reloadSlots();
  }

  async function open(path: string) {
    if (terminal) await api.serial.closeTerminal({ sessionId: terminal.sessionId });
    setTerminal(null);
    const result = await api.serial.openTerminal({ path, baudRate: Number(baud) });
    setTermError(result.ok ? null : result.error);
    if (result.ok) setTerminal(result.value);
  }

  async function closeTerminal() {
    if (terminal) await api.serial.closeTerminal({ sessionId: terminal.sessionId });
    setTerminal(null);
  }

  const update = (i: number, patch: Partial<SlotRow>) =>
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <section aria-labelledby="ports-title" className="ports">
      <h2 id="ports-title">Ports &amp; fixture slots</h2>
      {ports.error ? <ErrorNote error={ports.error} /> : null}
      {ports.value?.warnings.map((w) => (
        <p key={w} className="warning">
          {w}
        </p>
      ))}
      <table aria-label="Serial ports">
        <thead>
          <tr>
            <th>Port</th>
            <th>USB location</th>
            <th>VID:PID</th>
            <th>Serial</th>
            <th>Maker</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {ports.value?.ports.map((p) => (
            <tr key={p.path}>
              <td className="mono">{p.path}</td>
              <td className="mono">{p.location ?? '—'}</td>
              <td className="mono">{p.vendorId ? `${p.vendorId}:${p.productId ?? '????'}` : '—'}</td>
              <td className="mono">{p.serialNumber ?? '—'}</td>
              <td>{[p.manufacturer, p.product].filter(Boolean).join(' ') || '—'}</td>
              <td>
                <button type="button" onClick={() => void open(p.path)}>
                  Terminal
                </button>
              </td>
            </tr>
          ))}
          {ports.value && ports.value.ports.length === 0 ? (
            <tr>
              <td colSpan={6}>No serial ports are plugged in. A pty or other port can be typed below.</td>
            </tr>
          ) : null}
        </tbody>
      </table>

      <h3>Fixture slots</h3>
      <form onSubmit={saveSlots} className="slots">
        {rows.map((r, i) => {
          const resolved = slots.value?.find((s) => s.binding.slot === r.slot);
          return (
            <div key={i} className="slot-row">
              <label>
                <span>Slot</span>
                <input
                  type="number"
                  min={1}
                  value={r.slot}
                  onChange={(e) => update(i, { slot: Number(e.target.value) })}
                />
              </label>
              <label>
                <span>Bound by</span>
                <select value={r.kind} onChange={(e) => update(i, { kind: e.target.value as MatchKind })}>
                  <option value="location">USB location</option>
                  <option value="usb">VID/PID/serial</option>
                  <option value="path">Port path</option>
                </select>
              </label>
              <label className="grow">
                <span>Slot {r.slot} match</span>
                <input
                  value={r.value}
                  placeholder={placeholders[r.kind]}
                  onChange={(e) => update(i, { value: e.target.value })}
                />
              </label>
              <span className="slot-state" data-testid={`slot-${r.slot}-state`}>
                {resolved ? (resolved.path ?? resolved.problem) : 'not saved'}
              </span>
              <button type="button" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
                Remove
              </button>
            </div>
          );
        })}
        <div className="form">
          <button
            type="button"
            onClick={() =>
              setRows((rs) => [
                ...rs,
                { slot: Math.max(0, ...rs.map((r) => r.slot)) + 1, kind: 'location', value: '' },
              ])
            }
          >
            Add slot
          </button>
          <button type="submit">Apply slots</button>
        </div>
      </form>
      {unsaved ? (
        <p className="muted" role="status">
          Not applied yet: Apply slots saves these rows in place of the saved ones.{' '}
          <button type="button" onClick={() => setDraft(null)}>
            Discard changes
          </button>
        </p>
      ) : null}
      {slotError ? <ErrorNote error={slotError} /> : null}

      <h3>Serial terminal</h3>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void open(termPath.trim());
        }}
      >
        <label className="grow">
          <span>Port path</span>
          <input
            value={termPath}
            placeholder="/dev/ttyUSB0 or a pty"
            onChange={(e) => setTermPath(e.target.value)}
          />
        </label>
        <label>
          <span>Baud</span>
          <select value={baud} onChange={(e) => setBaud(e.target.value)}>
            {['9600', '57600', '115200', '230400', '460800', '921600'].map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={termPath.trim() === ''}>
          Open terminal
        </button>
        {terminal ? (
          <button type="button" onClick={() => void closeTerminal()}>
            Close terminal
          </button>
        ) : null}
      </form>
      {termError ? <ErrorNote error={termError} /> : null}
      {terminal ? (
        <TerminalView
          key={terminal.sessionId}
          sessionId={terminal.sessionId}
          title={`${terminal.path} at ${terminal.baudRate} baud`}
        />
      ) : null}
    </section>
  );
}
