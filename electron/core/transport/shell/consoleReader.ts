import { StringDecoder } from 'node:string_decoder';
import { Failure } from '../../failure';
import type { SerialLink } from '../../serial/link';

/** Console text from a link, and waiting for a pattern in it with a timeout, a cancel and unplug. */
export interface ConsoleReader {
  /** Text received and not consumed yet. */
  readonly text: string;
  waitFor(pattern: RegExp, timeoutMs: number, what: string, signal?: AbortSignal): Promise<RegExpExecArray>;
  /** Drops everything up to `index` (what a waiter matched). */
  consume(index: number): void;
  dispose(): void;
}

export function createConsoleReader(link: SerialLink, onText?: (text: string) => void): ConsoleReader {
  const decoder = new StringDecoder('utf8');
  let text = '';
  let wake: (() => void) | null = null;
  let closedReason: string | null = null;
  const offData = link.onData((chunk) => {
    const s = decoder.write(chunk);
    text += s;
    onText?.(s);
    wake?.();
  });
  const offClose = link.onClose((reason) => {
    closedReason = reason;
    wake?.();
  });

  return {
    get text() {
      return text;
    },
    waitFor(pattern, timeoutMs, what, signal) {
      return new Promise((resolve, reject) => {
        const done = (fn: () => void) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          wake = null;
          fn();
        };
        const check = () => {
          const m = pattern.exec(text);
          if (m) return done(() => resolve(m));
          if (closedReason !== null)
            done(() =>
              reject(
                new Failure(
                  'device-disconnected',
                  `The unit went away while ${what}. Check the cable and retry.`,
                  {
                    detail: `${link.path}: ${closedReason}`,
                  },
                ),
              ),
            );
        };
        const onAbort = () => done(() => reject(new Failure('cancelled', 'Stopped on request.')));
        const timer = setTimeout(
          () =>
            done(() =>
              reject(
                new Failure(
                  'device-timeout',
                  `No answer from the unit while ${what}. Check the cable and retry.`,
                  {
                    detail: `${link.path}: waited ${timeoutMs} ms for ${pattern}; last output: ${JSON.stringify(text.slice(-200))}`,
                  },
                ),
              ),
            ),
          timeoutMs,
        );
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort);
        wake = check;
        check();
      });
    },
    consume(index) {
      text = text.slice(index);
    },
    dispose() {
      offData();
      offClose();
    },
  };
}
