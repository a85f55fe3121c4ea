import { useEffect, useRef, useState } from 'react';
import type { UnitState, UnitSummary } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { UnitDetail } from './UnitDetail';

const PAGE = 100;

const STATES: UnitState[] = [
  'assigned',
  'written',
  'verified',
  'provisioned',
  'failed',
  'voided',
  'reserved',
];

/**
 * Every unit this station knows, paged. One search box finds a claim ID (prefix), a serial, an
 * order or a state; an order's merely reserved IDs are hidden unless asked for.
 */
export function DevicesScreen() {
  const [prefix, setPrefix] = useState('');
  const [showReserved, setShowReserved] = useState(false);
  const [state, setState] = useState<UnitState | ''>('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selected, setSelected] = useState<string | null>(null);
  const search = useRef<HTMLInputElement>(null);
  const cursor = cursors.at(-1) ?? null;
  const page = useOperation(
    () =>
      api.units.list({
        query: prefix,
        cursor,
        limit: PAGE,
        ...(state ? { state } : {}),
        hideReserved: !showReserved && state !== 'reserved',
      }),
    [prefix, cursor, state, showReserved],
  );

  const { reload } = page;
  useEffect(() => api.on('unitsChanged', () => reload()), [reload]);
  useEffect(() => {
    // "/" focuses the search from anywhere on the screen.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '/' && document.activeElement !== search.current) {
        e.preventDefault();
        search.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const value = page.value;
  // A whole claim ID typed by hand that finds nothing: ask the station what is wrong with it.
  const typedWhole = value !== null && value.items.length === 0 && prefix.replace(/[\s-]/g, '').length >= 8;
  const lookup = useOperation(
    () =>
      typedWhole ? api.units.get({ claimId: prefix }) : Promise.resolve({ ok: true as const, value: null }),
    [typedWhole, prefix],
  );
  return (
    <section aria-labelledby="devices-title" className="devices">
      <header className="screen-header">
        <h1 id="devices-title">Devices</h1>
        <label className="search">
          <span>Search claim ID, serial, state or order</span>
          <input
            ref={search}
            autoFocus
            value={prefix}
            spellCheck={false}
            autoComplete="off"
            placeholder="M72D… · SN-2005 · failed · WO-17"
            aria-keyshortcuts="/"
            onChange={(e) => {
              setPrefix(e.target.value);
              setCursors([null]);
            }}
          />
        </label>
        <label>
          <span>State</span>
          <select
            aria-label="State"
            value={state}
            onChange={(e) => {
              setState(e.target.value as UnitState | '');
              setCursors([null]);
            }}
          >
            <option value="">Any</option>
            {STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={showReserved}
            onChange={(e) => {
              setShowReserved(e.target.checked);
              setCursors([null]);
            }}
          />
          <span>Show reserved IDs</span>
        </label>
        <p className="count" aria-live="polite">
          {value
            ? `${value.total.toLocaleString()}${value.totalIsCapped ? '+' : ''} ${value.total === 1 ? 'unit' : 'units'}`
            : ' '}
        </p>
      </header>
      {page.error ? <ErrorNote error={page.error} /> : null}
      <div className="devices-body">
        <table className="units" aria-label="Units">
          <thead>
            <tr>
              <th>Claim ID</th>
              <th>State</th>
              <th>Serial</th>
              <th>Order</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {value?.items.map((u) => (
              <UnitRow key={u.claimId} unit={u} selected={u.claimId === selected} onOpen={setSelected} />
            ))}
          </tbody>
        </table>
        {selected ? <UnitDetail claimId={selected} onClose={() => setSelected(null)} /> : null}
      </div>
      {value && value.items.length === 0 ? (
        <p className="empty" role="status">
          {typedWhole && lookup.error
            ? lookup.error.message
            : prefix
              ? `No unit matches "${prefix}" by claim ID, serial, state or order${showReserved ? '' : ' (reserved IDs are hidden)'}.`
              : showReserved
                ? 'No units on this station yet.'
                : 'No units have been worked on yet (reserved IDs are hidden: tick "Show reserved IDs").'}
        </p>
      ) : null}
      <footer className="pager">
        <button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous page
        </button>
        <span>Page {cursors.length}</span>
        <button
          disabled={!value?.nextCursor}
          onClick={() => value?.nextCursor && setCursors((c) => [...c, value.nextCursor])}
        >
          Next page
        </button>
      </footer>
    </section>
  );
}

function UnitRow({
  unit,
  selected,
  onOpen,
}: {
  unit: UnitSummary;
  selected: boolean;
  onOpen: (id: string) => void;
}) {
  return (
    <tr
      className={selected ? 'selected' : undefined}
      tabIndex={0}
      onClick={() => onOpen(unit.claimId)}
      onKeyDown={(e) => e.key === 'Enter' && onOpen(unit.claimId)}
    >
      <td className="claim-id">{unit.claimId}</td>
      <td>
        <span className={`state state-${unit.state}`}>{unit.state}</span>
      </td>
      <td>{unit.serial ?? '—'}</td>
      <td>{unit.orderId ?? '—'}</td>
      <td>{new Date(unit.updatedAt).toLocaleString()}</td>
    </tr>
  );
}
