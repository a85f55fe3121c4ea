/**
 * The evaluator's "what is my board's claim ID": watch the agent's console on a serial port for
 * `Device Claim ID: XXXXXXXXXX`, then show it big with a QR code and a link to the claim page.
 */
import type { ClaimIdReport } from '../../shared/contract';
import JSON5 from 'json5';
import { Failure, isFailure } from '../failure';
import { openFramedSession, type FramedSession } from '../transport/framed';

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

export interface ClaimWatchOptions extends WatchOptions {
  /**
   * With no claim ID line after this long (default 4 s), ask the board over the framed protocol
   * (HELLO, then its config/device.json5), then go back to watching the console. 0: never ask.
   */
  askAfterMs?: number;
}

/**
 * Watches the console for the agent's claim ID line; a board that says nothing within a few seconds
 * is asked over the framed protocol; if it does not speak it either, the console is watched again
 * until the timeout.
 */
export async function watchForClaimId(
  options: ClaimWatchOptions,
): Promise<{ claimId: string; line: string }> {
  const askAfter = options.askAfterMs ?? 4000;
  const deadline = Date.now() + options.timeoutMs;
  if (askAfter <= 0 || askAfter >= options.timeoutMs) return watchConsole(options);
  try {
    return await watchConsole({ ...options, timeoutMs: askAfter });
  } catch (error) {
    if (!isFailure(error) || error.code !== 'device-timeout') throw error;
  }
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
      settings: { kind: 'framed', baudRate: options.baudRate, deviceDir: '', timeoutMs: options.timeoutMs },
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
  options: WatchOptions & { totalMs?: number },
): Promise<{ claimId: string; line: string }> {
  const { SerialPort } = await import('serialport');
  const port = new SerialPort({ path: options.path, baudRate: options.baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((error) =>
      error
        ? reject(
            new Failure(
              'port-unavailable',
              `Cannot open ${options.path}: check the cable and that no other program holds the port.`,
              {
                detail: error.message,
                cause: error,
              },
            ),
          )
        : resolve(),
    ),
  );
  let buffer = '';
  try {
    return await new Promise((resolve, reject) => {
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        port.off('data', onData);
        port.off('close', onClose);
        fn();
      };
      const onData = (chunk: Buffer) => {
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
                `No "Device Claim ID" line on ${options.path} within ${Math.round((options.totalMs ?? options.timeoutMs) / 1000)} s: check the baud rate, then press the board's reset button so the agent starts again.`,
                { detail: buffer.slice(-500) },
              ),
            ),
          ),
        options.timeoutMs,
      );
      port.on('data', onData);
      port.on('close', onClose);
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort);
    });
  } finally {
    if (port.isOpen) await new Promise<void>((r) => port.close(() => r()));
  }
}
