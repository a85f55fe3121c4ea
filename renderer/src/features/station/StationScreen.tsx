import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo, StationSlotReport, StationStateReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { OperatorSignIn } from '../access/OperatorSignIn';
import { ReprintLabel } from '../access/ReprintLabel';
import { StationAccessBar } from '../access/StationAccessBar';
import { useAccess } from '../access/useAccess';
import { SlotCard } from './SlotCard';
import { useScanner } from './useScanner';

/**
 * The slot the next scan goes to: the one the technician picked (click or number key), else the
 * first free one (idle, its port there). The station makes the same choice when no slot is named.
 */
function nextFree(slots: StationSlotReport[], preferred: number | null): number | null {
  if (preferred !== null && pickable(slots, preferred)) return preferred;
  return slots.find((s) => s.status === 'idle' && s.portState === 'ok')?.slot ?? null;
}

/** A slot the technician can pick for the next scan: one that is there and not working. */
function pickable(slots: StationSlotReport[], slot: number): boolean {
  return slots.some((s) => s.slot === slot && s.status !== 'running');
}

/**
 * The technician's screen: one card per fixture slot, the order's good count, and a scanner that
 * works without clicking into a field first.
 */
export function StationScreen() {
  const [state, setState] = useState<StationStateReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [target, setTarget] = useState<number | null>(null);
  const [orderDraft, setOrderDraft] = useState('');
  // Locked by an engineer: no work-order field, sign-in first, reprint with a reason.
  const { access } = useAccess();
  const locked = access?.locked ?? false;

  const load = useCallback(() => {
    void api.station.getState().then((r) => {
      if (r.ok) setState(r.value);
      else setError(r.error);
    });
  }, []);

  useEffect(() => {
    // The Station screen shows every slot (slots come and go with configureStation): all of them.
    const offSlot = api.on(
      'stationSlot',
      (report) =>
        setState((s) => (s ? { ...s, slots: s.slots.map((x) => (x.slot === report.slot ? report : x)) } : s)),
      { allSlots: true },
    );
    const offUnits = api.on('unitsChanged', load);
    load();
    return () => {
      offSlot();
      offUnits();
    };
  }, [load]);

  // Events can be missed while the event socket (re)connects: poll while a slot works.
  const anyRunning = state?.slots.some((s) => s.status === 'running') ?? false;
  useEffect(() => {
    if (!anyRunning) return;
    const timer = setInterval(load, 1000);
    return () => clearInterval(timer);
  }, [anyRunning, load]);

  const orderId = state?.config.activeOrderId ?? null;
  // A pick counts only while that slot can take the scan (it may have started working since): the
  // slot the scanner label names is always the one the scan is sent to.
  const picked = state && target !== null && pickable(state.slots, target) ? target : null;
  const scanSlot = state ? nextFree(state.slots, picked) : null;

  const start = useCallback(
    (slot: number | null, serial?: string, rework?: string) => {
      setError(null);
      if (!orderId) {
        setError({
          code: 'validation',
          message: 'Set the work order first: the engineer locks it in before the shift.',
        });
        return;
      }
      // No slot named: the station picks the free one itself, so quick scans never share a slot.
      void api.station
        .startUnit({
          ...(slot !== null ? { slot } : {}),
          orderId,
          ...(serial ? { serial } : {}),
          ...(rework ? { rework } : {}),
        })
        .then((r) => {
          if (!r.ok) return setError(r.error);
          setState((s) =>
            s ? { ...s, slots: s.slots.map((x) => (x.slot === r.value.slot ? r.value : x)) } : s,
          );
          setTarget(null);
        });
    },
    [orderId],
  );

  // A scan that arrives before the station's state has loaded (the screen just opened) waits for
  // it: refusing it with "set the work order first" would be wrong, and dropping it would lose it.
  const pendingScan = useRef<string | null>(null);
  useEffect(() => {
    if (!state || pendingScan.current === null) return;
    const serial = pendingScan.current;
    pendingScan.current = null;
    start(picked, serial);
  }, [state, start, picked]);

  const scanner = useScanner(
    (serial) => {
      if (state) start(picked, serial);
      else pendingScan.current = serial;
    },
    (slot) => {
      if (state && pickable(state.slots, slot)) setTarget(slot);
    },
  );
  const [reworkId, setReworkId] = useState('');
  const [reworkSlot, setReworkSlot] = useState('1');

  async function setOrder(e: React.FormEvent) {
    e.preventDefault();
    const r = await api.station.configure({ activeOrderId: orderDraft.trim() || null });
    if (!r.ok) return setError(r.error);
    setOrderDraft('');
    load();
  }

  const order = state?.order;
  return (
    <section aria-labelledby="station-title" className="station">
      <header className="screen-header">
        <h1 id="station-title">Station</h1>
        {order ? (
          <p className="order-count" data-testid="order-count" aria-live="polite">
            <span className="mono">{order.orderId}</span>: <strong>{order.good}</strong> good of {order.total}
            {order.failed ? <span className="fail-count"> · {order.failed} failed</span> : null}
          </p>
        ) : null}
        {locked ? null : (
          <form className="form order-form" onSubmit={setOrder}>
            <label>
              <span>{orderId ? 'Change work order' : 'Work order'}</span>
              <input value={orderDraft} onChange={(e) => setOrderDraft(e.target.value)} spellCheck={false} />
            </label>
            <button type="submit">Set order</button>
          </form>
        )}
      </header>
      {access ? <StationAccessBar access={access} /> : null}
      {locked && access && !access.operator ? <OperatorSignIn /> : null}

      <form
        className="scanner"
        onSubmit={(e) => {
          e.preventDefault();
          scanner.submit();
        }}
      >
        <label>
          <span>
            Scanner {scanSlot !== null ? `→ slot ${scanSlot}` : '(no free slot)'}
            <span className="muted"> · keys 1–{state?.slots.length ?? 8} pick a slot</span>
          </span>
          <input
            ref={scanner.field}
            value={scanner.text}
            onChange={(e) => scanner.onChange(e.target.value)}
            placeholder="Scan a serial number"
            spellCheck={false}
            autoComplete="off"
          />
        </label>
      </form>

      {state && !state.deviceTransport ? (
        <ErrorNote
          error={{
            code: 'unavailable',
            message:
              'No device transport is configured on this station, so no unit can be written yet. Call the engineer.',
          }}
        />
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      {locked ? (
        <ReprintLabel suggested={state?.slots.find((s) => s.status === 'pass')?.claimId ?? null} />
      ) : null}

      {state && state.interrupted.length > 0 ? (
        <div className="interrupted" role="region" aria-label="Interrupted units">
          <h2>Interrupted units</h2>
          <p>
            These units stopped mid-way (the station was closed or lost power). Put each back in its slot and
            resume.
          </p>
          <ul>
            {state.interrupted.map((u) => (
              <li key={u.claimId}>
                <span className="claim-id">{u.claimId}</span>{' '}
                {u.state === 'written' ? 'written, not verified' : 'not written yet'}
                {u.slot ? ` · slot ${u.slot}` : ''}{' '}
                <button
                  onClick={() =>
                    void api.station
                      .resumeUnit({ claimId: u.claimId })
                      .then((r) => (r.ok ? load() : setError(r.error)))
                  }
                >
                  Resume {u.claimId}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {state && state.leases.some((l) => l.expired || l.holderGone) ? (
        <div className="interrupted" role="region" aria-label="Abandoned holds">
          <h2>Abandoned holds</h2>
          <p>A station stopped while working these units. Resume each one from its slot.</p>
          <ul>
            {state.leases
              .filter((l) => l.expired || l.holderGone)
              .map((l) => (
                <li key={l.claimId}>
                  <span className="claim-id">{l.claimId}</span> held by {l.station} (process {l.pid}
                  {l.slot ? `, slot ${l.slot}` : ''}) ·{' '}
                  {l.holderGone ? 'process gone' : `expired ${l.expiresAt}`}
                </li>
              ))}
          </ul>
        </div>
      ) : null}

      <div
        className="fixture"
        style={{ gridTemplateColumns: `repeat(${Math.min(state?.slots.length ?? 4, 4)}, 1fr)` }}
      >
        {state?.slots.map((s) => (
          <SlotCard
            key={s.slot}
            report={s}
            targeted={s.slot === scanSlot}
            canStart={orderId !== null}
            onTarget={() => setTarget(s.slot)}
            onStart={() => start(s.slot)}
          />
        ))}
      </div>

      {/* Rework with an existing claim ID is the engineer's: not on a locked station. */}
      {locked ? null : (
        <form
          className="form rework-form"
          aria-label="Rework a unit"
          onSubmit={(e) => {
            e.preventDefault();
            if (!reworkId.trim()) return;
            start(Number(reworkSlot), undefined, reworkId.trim());
            setReworkId('');
          }}
        >
          <p className="muted">
            Engineer only: write a unit again with the claim ID it already has (a wiped or damaged unit). A
            scan never does this.
          </p>
          <label>
            <span>Claim ID</span>
            <input value={reworkId} onChange={(e) => setReworkId(e.target.value)} spellCheck={false} />
          </label>
          <label>
            <span>Slot</span>
            <select value={reworkSlot} onChange={(e) => setReworkSlot(e.target.value)}>
              {state?.slots.map((s) => (
                <option key={s.slot} value={String(s.slot)}>
                  {s.slot}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={!orderId || !reworkId.trim()}>
            Rework unit
          </button>
        </form>
      )}
    </section>
  );
}
