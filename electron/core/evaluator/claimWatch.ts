/**
 * The evaluator's "what is my board's claim ID": watch the agent's console on a serial port for
 * `Device Claim ID: XXXXXXXXXX`, then show it big with a QR code and a link to the claim page.
 */
import type { ClaimIdReport, ClaimIdWatchRequest } from '../../shared/contract';
import JSON5 from 'json5';
import { Failure, isFailure } from '../failure';
import { openFramedSession, type FramedSession } from '../transport/framed';
import { createDecoder } from '../transport/framed/frame';
import { resolveTransportSettings } from '../transport/settings';
import { createSerialLink } from '../serial/link';

/** The agent's line; the ID is in the agent's alphabet (Crockford base32, no I, L, O, U). */
export const claimIdLine = /Device Claim ID:\s*([0-9A-HJKMNP-TV-Z]{4,20})\b/;

export const defaultClaimUrlTemplate = 'https://admin.embedthis.com/claim?id={claimId}';

export function findClaimId(text: string): { claimId: string; line: string } | null {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  for (const line of clean.split(/\r?\n/)) {
    const m = claimIdLine.exec(line);
    if (m) return { claimId: m[1]!, line: line.trim() };
  }
  return null;
}

export async function claimIdCard(
  claimId: string,
  line: string,
  urlTemplate: string,
): Promise<ClaimIdReport> {
  const claimUrl = urlTemplate.split('{claimId}').join(encodeURIComponent(claimId));
  const { default: QRCode } = await import('qrcode'); // its renderers load only when used
  const qrSvg = await QRCode.toString(claimId, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { claimId, line, claimUrl, qrSvg };
}

export interface WatchOptions {
  path: string;
  baudRate: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Console text as it arrives (for a terminal view). */
  onText?: (text: string) => void;
}

/**
 * `askAfterMs` (default 4 s): on a console, press Enter (a bare newline) and keep watching for the
 * banner; on a board that speaks the framed protocol, ask it (HELLO, then its config/device.json5),
 * then go back to watching. `framed`: without it the port may be a Linux console, where a binary
 * probe's control bytes (0x03 = Ctrl-C) kill the running agent (ioto-contracts.md §9): it is then
 * only probed if it answered with a valid frame.
 */
export interface ClaimWatchOptions extends WatchOptions, Pick<ClaimIdWatchRequest, 'askAfterMs' | 'framed'> {}

/**
 * Watches the console for the agent's claim ID line. A board that says nothing within a few seconds
 * gets a bare Enter (never a control byte), or, when it is known to speak the framed protocol, is
 * asked over it; then the console is watched again until the timeout.
 */
export async function watchForClaimId(
  options: ClaimWatchOptions,
): Promise<{ claimId: string; line: string }> {
  const askAfter = options.askAfterMs ?? 4000;
  const deadline = Date.now() + options.timeoutMs;
  if (askAfter <= 0 || askAfter >= options.timeoutMs) return watchConsole(options);
  const seen = { framed: false };
  try {
    return await watchConsole({ ...options, timeoutMs: askAfter, seen });
  } catch (error) {
    if (!isFailure(error) || error.code !== 'device-timeout') throw error;
  }
  if (!options.framed && !seen.framed)
    // A possible console: press Enter and wait for the banner (a prompt, a getty's issue text).
    return watchConsole({
      ...options,
      timeoutMs: Math.max(1, deadline - Date.now()),
      totalMs: options.timeoutMs,
      pressEnter: true,
    });
  const asked = await askOverFramed({
    ...options,
    timeoutMs: Math.min(5000, Math.max(500, deadline - Date.now())),
  });
  if (asked) return asked;
  return watchConsole({
    ...options,
    timeoutMs: Math.max(1, deadline - Date.now()),
    totalMs: options.timeoutMs,
  });
}

/** Reads the board's claim ID with the framed protocol; null when it does not speak it. */
export async function askOverFramed(
  options: WatchOptions,
): Promise<{ claimId: string; line: string } | null> {
  let seen = '';
  let session: FramedSession;
  try {
    session = await openFramedSession({
      path: options.path,
      settings: resolveTransportSettings({
        kind: 'framed',
        baudRate: options.baudRate,
        timeoutMs: options.timeoutMs,
      }),
      ...(options.signal ? { signal: options.signal } : {}),
      onConsole: (text) => {
        options.onText?.(text);
        seen = (seen + text).slice(-8192);
      },
    });
  } catch (error) {
    if (isFailure(error) && error.code === 'cancelled') throw error;
    return findClaimId(seen);
  }
  try {
    const text = (await session.readFile('config/device.json5', { signal: options.signal })).toString('utf8');
    const id = (JSON5.parse(text) as { id?: unknown }).id;
    if (typeof id === 'string' && claimIdLine.test(`Device Claim ID: ${id}`))
      return { claimId: id, line: `config/device.json5 over the framed protocol: id '${id}'` };
    return findClaimId(seen);
  } catch (error) {
    if (isFailure(error) && error.code === 'cancelled') throw error;
    return findClaimId(seen);
  } finally {
    await session.close();
  }
}

/** Opens the port, reads until the claim ID line appears, closes the port. */
async function watchConsole(
  options: WatchOptions & {
    totalMs?: number;
    /** Send one bare newline once the port is open (only printable bytes ever go to a console). */
    pressEnter?: boolean;
    /** Set when a valid framed-protocol frame arrived: the port is not a console. */
    seen?: { framed: boolean };
  },
): Promise<{ claimId: string; line: string }> {
  const link = await createSerialLink({ path: options.path, baudRate: options.baudRate });
  let buffer = '';
  const frames = createDecoder(16 * 1024);
  try {
    return await new Promise((resolve, reject) => {
      let offData = () => {};
      let offClose = () => {};
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        offData();
        offClose();
        fn();
      };
      const onData = (chunk: Buffer) => {
        if (options.seen && !options.seen.framed)
          options.seen.framed = frames.push(chunk).some((e) => e.kind === 'frame');
        const text = chunk.toString('utf8');
        options.onText?.(text);
        buffer = (buffer + text).slice(-8192);
        const found = findClaimId(buffer);
        if (found) finish(() => resolve(found));
      };
      const onClose = () =>
        finish(() =>
          reject(
            new Failure(
              'device-disconnected',
              `${options.path} closed before the board printed its claim ID: check the cable.`,
            ),
          ),
        );
      const onAbort = () => finish(() => reject(new Failure('cancelled', 'Stopped watching the console.')));
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(
              new Failure(
                'device-timeout',
                `No "Device Claim ID" line on ${options.path} within ${Math.round((options.totalMs ?? options.timeoutMs) / 1000)} s${options.pressEnter ? ' (Enter was pressed once)' : ''}: check the baud rate, then press the board's reset button so the agent starts again.`,
                { detail: buffer.slice(-500) },
              ),
            ),
          ),
        options.timeoutMs,
      );
      // Listening before Enter is pressed: the banner it brings back must not go past unread.
      offData = link.onData(onData);
      offClose = link.onClose(onClose);
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort);
      if (options.pressEnter) link.write('\n').catch((error: unknown) => finish(() => reject(error)));
    });
  } finally {
    await link.close();
  }
}
