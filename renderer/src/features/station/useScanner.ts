import { useEffect, useRef, useState } from 'react';

/** Where typing belongs to a field (or a button) and must not be taken by the scanner. */
function typingElsewhere(target: EventTarget | null, own: HTMLElement | null): boolean {
  if (!(target instanceof HTMLElement) || target === own) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * A barcode scanner types fast and ends with Enter. Keystrokes are taken from anywhere on the screen
 * when no other field has focus, so the technician never clicks into the scanner field first. The
 * field shows what has been typed and can be used by hand as well.
 */
export function useScanner(onScan: (text: string) => void) {
  const [text, setText] = useState('');
  const field = useRef<HTMLInputElement>(null);
  const latest = useRef(onScan);
  latest.current = onScan;
  const buffer = useRef('');

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.target === field.current) return; // the field handles its own typing
      if (typingElsewhere(e.target, field.current)) return;
      if (e.key === 'Enter') {
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
        buffer.current += e.key;
        setText(buffer.current);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
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
