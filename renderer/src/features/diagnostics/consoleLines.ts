/**
 * The console's received and sent bytes as lines with the time each began, for the log view
 * (timestamps, hex) and the saved log. Pure, so it is tested without a page.
 */
export interface ConsoleLine {
  at: number;
  dir: 'rx' | 'tx';
  bytes: Uint8Array;
}

export type LineEnding = 'none' | 'lf' | 'cr' | 'crlf';

export const lineEndings: Record<LineEnding, { label: string; text: string }> = {
  none: { label: 'None', text: '' },
  lf: { label: 'LF (\\n)', text: '\n' },
  cr: { label: 'CR (\\r)', text: '\r' },
  crlf: { label: 'CRLF (\\r\\n)', text: '\r\n' },
};

export const MAX_LINES = 5000;

/** Appends received bytes: complete lines end at LF; the rest waits in `partial`. */
export function appendReceived(
  lines: ConsoleLine[],
  partial: ConsoleLine | null,
  bytes: Uint8Array,
  at: number,
): { lines: ConsoleLine[]; partial: ConsoleLine | null } {
  const out = [...lines];
  let current = partial ? partial.bytes : new Uint8Array(0);
  let start = partial ? partial.at : at;
  let from = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    out.push({ at: start, dir: 'rx', bytes: concat(current, bytes.subarray(from, i + 1)) });
    current = new Uint8Array(0);
    start = at;
    from = i + 1;
  }
  const rest = concat(current, bytes.subarray(from));
  return {
    lines: out.length > MAX_LINES ? out.slice(out.length - MAX_LINES) : out,
    partial: rest.length ? { at: start, dir: 'rx', bytes: rest } : null,
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Printable text with control characters shown (\r, \n, other bytes as <xx>). */
export function showText(bytes: Uint8Array): string {
  let s = '';
  const text = new TextDecoder().decode(bytes);
  for (const ch of text) {
    if (ch === '\n' || ch === '\r') continue;
    const code = ch.codePointAt(0)!;
    s += code < 0x20 || code === 0x7f ? `<${code.toString(16).padStart(2, '0')}>` : ch;
  }
  return s;
}

export function showHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

export function timeOf(at: number): string {
  const d = new Date(at);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The saved log: one line per entry, ISO time, direction, text (and hex when asked). */
export function logText(lines: readonly ConsoleLine[], hex: boolean): string {
  return lines
    .map((l) => {
      const body = hex ? showHex(l.bytes) : showText(l.bytes);
      return `${new Date(l.at).toISOString()} ${l.dir === 'rx' ? '<' : '>'} ${body}`;
    })
    .join('\n')
    .concat(lines.length ? '\n' : '');
}
