import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { looksScanned } from './badgeTiming';

/**
 * Who runs this shift: scan a badge (anywhere on the screen, no click needed) or type a name.
 * Keystrokes outside any field are a badge; in the field, their speed tells a scan from typing.
 * Shown on a locked station until someone signs in; every event then carries that name.
 */
export function OperatorSignIn() {
  const [text, setText] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const keyTimes = useRef<number[]>([]);
  const field = useRef<HTMLInputElement>(null);

  async function signIn(value: string, scanned: boolean) {
    const name = value.trim();
    keyTimes.current = [];
    setText('');
    if (!name) return;
    const r = await api.access.signIn(scanned ? { badge: name } : { name });
    setError(r.ok ? null : r.error);
  }

  // Keystrokes outside any field are a badge scan: taken before the station's unit scanner sees them.
  useEffect(() => {
    let buffer = '';
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target;
      if (
        t instanceof HTMLElement &&
        t !== document.body &&
        ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)
      )
        return;
      if (e.key === 'Enter') {
        if (!buffer.trim()) return;
        // Typed outside any field: a scanner (a person types their name into the field).
        const scanned = true;
        const value = buffer;
        buffer = '';
        e.preventDefault();
        e.stopImmediatePropagation();
        void signIn(value, scanned);
      } else if (e.key.length === 1) {
        buffer += e.key;
        keyTimes.current.push(performance.now());
        e.preventDefault();
        e.stopImmediatePropagation();
        setText(buffer);
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);

  return (
    <div className="sign-in" role="region" aria-label="Operator sign-in">
      <h2>Sign in to start</h2>
      <p>Scan your badge, or type your name and press Enter.</p>
      <form
        className="form inline"
        onSubmit={(e) => {
          e.preventDefault();
          void signIn(text, looksScanned(keyTimes.current, text));
        }}
      >
        <label>
          <span>Badge or name</span>
          <input
            ref={field}
            value={text}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            onKeyDown={(e) => {
              if (e.key.length === 1) keyTimes.current.push(performance.now());
            }}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <button type="submit" disabled={!text.trim()}>
          Sign in
        </button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
    </div>
  );
}
