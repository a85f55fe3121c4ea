import { useState } from 'react';
import type { ErrorInfo } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { useAccess } from './useAccess';

/** Settings → Station lock: the engineer's PIN that locks and unlocks the station's setup. */
export function PinSettings() {
  const { access } = useAccess();
  const [currentPin, setCurrentPin] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [saved, setSaved] = useState(false);
  const pinSet = access?.pinSet ?? false;
  return (
    <section aria-labelledby="pin-title">
      <h2 id="pin-title">Station lock</h2>
      <p className="muted">
        The engineer's PIN locks the work order, profile, slots and printer for a shift (Station → Lock for
        production) and unlocks them again. It is stored only as a slow hash.
      </p>
      <form
        className="form"
        aria-label="Engineer PIN"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          if (pin !== again) {
            setError({ code: 'validation', message: 'The two new PINs differ: type the same PIN twice.' });
            return;
          }
          void api.access.setEngineerPin({ pin, ...(pinSet ? { currentPin } : {}) }).then((r) => {
            setError(r.ok ? null : r.error);
            setSaved(r.ok);
            if (r.ok) {
              setCurrentPin('');
              setPin('');
              setAgain('');
            }
          });
        }}
      >
        {pinSet ? (
          <label>
            <span>Current PIN</span>
            <input
              type="password"
              autoComplete="off"
              value={currentPin}
              onChange={(e) => setCurrentPin(e.target.value)}
            />
          </label>
        ) : null}
        <label>
          <span>{pinSet ? 'New PIN' : 'Engineer PIN'} (4 or more characters)</span>
          <input type="password" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />
        </label>
        <label>
          <span>PIN again</span>
          <input
            type="password"
            autoComplete="off"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
          />
        </label>
        <button type="submit" disabled={pin.length < 4}>
          {pinSet ? 'Change PIN' : 'Set PIN'}
        </button>
        {saved ? <span role="status">PIN saved.</span> : null}
      </form>
      {error ? <ErrorNote error={error} /> : null}
    </section>
  );
}
