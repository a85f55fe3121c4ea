import { useCallback, useEffect, useState } from 'react';
import type { ErrorInfo, StationSlotReport, StationStateReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { SlotCard } from './SlotCard';
import { useScanner } from './useScanner';

/** The slot the next scan goes to: the chosen one if it is free, else the first free one. */
function nextFree(slots: StationSlotReport[], preferred: number | null): number | null {
  const free = slots.filter((s) => s.status !== 'running');
  if (preferred !== null && free.some((s) => s.slot === preferred)) return preferred;
  return free[0]?.slot ?? null;
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

  const load = useCallback(() => {
    void api.getStationState().then((r) => {
      if (r.ok) setState(r.value);
      else setError(r.error);
    });
  }, []);

  useEffect(() => {
    const offSlot = api.on('stationSlot', (report) =>
      setState((s) => (s ? { ...s, slots: s.slots.map((x) => (x.slot === report.slot ? report : x)) } : s)),
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
  const scanSlot = state ? nextFree(state.slots, target) : null;

  const start = useCallback(
    (slot: number | null, serial?: string) => {
      setError(null);
      if (!orderId) {
        setError({
          code: 'validation',
          message: 'Set the work order first: the engineer locks it in before the shift.',
        });
        return;
      }
      if (slot === null) {
        setError({ code: 'busy', message: 'Every slot is busy: wait for a PASS or FAIL, then scan again.' });
        return;
      }
      void api.startUnit({ slot, orderId, ...(serial ? { serial } : {}) }).then((r) => {
        if (!r.ok) return setError(r.error);
        setState((s) => (s ? { ...s, slots: s.slots.map((x) => (x.slot === slot ? r.value : x)) } : s));
        setTarget(null);
      });
    },
    [orderId],
  );

  const scanner = useScanner((serial) => start(scanSlot, serial));

  async function setOrder(e: React.FormEvent) {
    e.preventDefault();
    const r = await api.configureStation({ activeOrderId: orderDraft.trim() || null });
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
        <form className="form order-form" onSubmit={setOrder}>
          <label>
            <span>{orderId ? 'Change work order' : 'Work order'}</span>
            <input value={orderDraft} onChange={(e) => setOrderDraft(e.target.value)} spellCheck={false} />
          </label>
          <button type="submit">Set order</button>
        </form>
      </header>

      <form
        className="scanner"
        onSubmit={(e) => {
          e.preventDefault();
          scanner.submit();
        }}
      >
        <label>
          <span>Scanner {scanSlot !== null ? `→ slot ${scanSlot}` : '(all slots busy)'}</span>
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
                    void api
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
    </section>
  );
}
