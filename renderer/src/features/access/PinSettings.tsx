import { useState } from 'react';
import type { ErrorInfo } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { setEngineerPinRequest } from '../../../../electron/shared/contract/access';
import { ErrorNote } from '../../components/ErrorNote';
import { FieldProblem } from '../../components/FieldProblem';
import { checkRequest, fieldAria, type FieldProblems } from '../../lib/validate';

const ID = 'engineer-pin';
import { useAccess } from './useAccess';

/** Settings → Station lock: the engineer's PIN that locks and unlocks the station's setup. */
export function PinSettings() {
  const { access } = useAccess();
  const [currentPin, setCurrentPin] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [saved, setSaved] = useState(false);
  const [problems, setProblems] = useState<FieldProblems>({});
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
          const checked = checkRequest(setEngineerPinRequest, { pin, ...(pinSet ? { currentPin } : {}) });
          setProblems(checked.ok ? {} : checked.problems);
          if (!checked.ok) return;
          if (pin !== again) {
            setError({ code: 'validation', message: 'The two new PINs differ: type the same PIN twice.' });
            return;
          }
          void api.access.setEngineerPin(checked.request).then((r) => {
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
          <input
            type="password"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
            {...fieldAria(problems, 'pin', ID)}
          />
        </label>
        <FieldProblem problems={problems} field="pin" idPrefix={ID} />
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
