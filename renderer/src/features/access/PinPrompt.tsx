import { useState } from 'react';
import type { ErrorInfo, Result } from '../../../../electron/shared/contract';
import { ErrorNote } from '../../components/ErrorNote';

/** One PIN field and a button; the PIN never stays in the page after it was sent. */
export function PinPrompt(props: {
  label: string;
  action: string;
  onSubmit: (pin: string) => Promise<Result<unknown>>;
  onCancel: () => void;
}) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="form inline pin-prompt"
      aria-label={`${props.action} the station`}
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        void props.onSubmit(pin).then((r) => {
          setBusy(false);
          setPin('');
          setError(r.ok ? null : r.error);
        });
      }}
    >
      <label>
        <span>{props.label}</span>
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          autoFocus
          value={pin}
          onChange={(e) => setPin(e.target.value)}
        />
      </label>
      <button type="submit" disabled={busy || pin.length === 0}>
        {props.action}
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
      {error ? <ErrorNote error={error} /> : null}
    </form>
  );
}
