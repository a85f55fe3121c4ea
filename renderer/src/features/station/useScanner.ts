import { useEffect, useRef, useState } from 'react';

/** Where typing belongs to a field (or a button) and must not be taken by the scanner. */
function typingElsewhere(target: EventTarget | null, own: HTMLElement | null): boolean {
  if (!(target instanceof HTMLElement) || target === own) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** A scanner types its characters a few ms apart; a lone digit with a pause after it is a key press. */
const PICK_PAUSE_MS = 250;

/**
 * A barcode scanner types fast and ends with Enter. Keystrokes are taken from anywhere on the screen
 * when no other field has focus, so the technician never clicks into the scanner field first. The
 * field shows what has been typed and can be used by hand as well.
 *
 * Number keys 1–8 pick a slot without the mouse: a digit pressed on its own (nothing typed before
 * it, nothing following within a quarter second) goes to `onPick` instead of the scan.
 */
export function useScanner(onScan: (text: string) => void, onPick?: (slot: number) => void) {
  const [text, setText] = useState('');
  const field = useRef<HTMLInputElement>(null);
  const latest = useRef(onScan);
  latest.current = onScan;
  const pick = useRef(onPick);
  pick.current = onPick;
  const buffer = useRef('');
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.target === field.current) return; // the field handles its own typing
      if (typingElsewhere(e.target, field.current)) return;
      if (e.key === 'Enter') {
        if (pending.current) {
          clearTimeout(pending.current);
          pending.current = null;
        }
        const scanned = buffer.current.trim();
        if (!scanned) return;
        e.preventDefault();
        buffer.current = '';
        setText('');
        latest.current(scanned);
      } else if (e.key === 'Backspace') {
        buffer.current = buffer.current.slice(0, -1);
        setText(buffer.current);
      } else if (e.key === 'Escape') {
        buffer.current = '';
        setText('');
      } else if (e.key.length === 1) {
        e.preventDefault();
        if (pending.current) {
          clearTimeout(pending.current);
          pending.current = null;
        }
        buffer.current += e.key;
        setText(buffer.current);
        if (pick.current && /^[1-8]$/.test(buffer.current)) {
          const slot = Number(buffer.current);
          pending.current = setTimeout(() => {
            pending.current = null;
            if (buffer.current !== String(slot)) return;
            buffer.current = '';
            setText('');
            pick.current?.(slot);
          }, PICK_PAUSE_MS);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      if (pending.current) clearTimeout(pending.current);
    };
  }, []);

  return {
    field,
    text,
    onChange(value: string) {
      buffer.current = value;
      setText(value);
    },
    submit() {
      const scanned = buffer.current.trim();
      buffer.current = '';
      setText('');
      if (scanned) latest.current(scanned);
    },
  };
}
