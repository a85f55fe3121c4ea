import { describe, expect, it } from 'vitest';
import {
  appendReceived,
  logText,
  showHex,
  showText,
} from '../../../renderer/src/features/diagnostics/consoleLines';
import { looksScanned } from '../../../renderer/src/features/access/badgeTiming';

const enc = (s: string) => new TextEncoder().encode(s);

describe('console lines', () => {
  it('splits received bytes at LF, keeps a partial line with the time it began', () => {
    let s = appendReceived([], null, enc('boo'), 1000);
    expect(s.lines).toHaveLength(0);
    expect(s.partial?.at).toBe(1000);
    s = appendReceived(s.lines, s.partial, enc('t ok\r\nnext\n'), 2000);
    expect(s.lines.map((l) => [l.at, showText(l.bytes)])).toEqual([
      [1000, 'boot ok'],
      [2000, 'next'],
    ]);
    expect(s.partial).toBeNull();
  });

  it('shows control bytes and hex, and saves one line per entry', () => {
    const line = { at: Date.UTC(2026, 0, 1), dir: 'rx' as const, bytes: enc('a\x1bb\r\n') };
    expect(showText(line.bytes)).toBe('a<1b>b');
    expect(showHex(line.bytes)).toBe('61 1b 62 0d 0a');
    expect(logText([line], false)).toBe('2026-01-01T00:00:00.000Z < a<1b>b\n');
  });
});

describe('badge or typed name', () => {
  it('calls fast keystrokes a scanned badge and a person typing a name', () => {
    expect(looksScanned([0, 5, 10, 15, 20, 25], 'OP-123')).toBe(true);
    expect(looksScanned([0, 180, 320, 500], 'Anna')).toBe(false);
    // Pasted or filled text has no keystrokes: a typed name.
    expect(looksScanned([], 'Anna')).toBe(false);
  });
});
