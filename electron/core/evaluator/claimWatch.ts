/**
 * The evaluator's "what is my board's claim ID": watch the agent's console on a serial port for
 * `Device Claim ID: XXXXXXXXXX`, then show it big with a QR code and a link to the claim page.
 */
import QRCode from 'qrcode';
import { SerialPort } from 'serialport';
import type { ClaimIdReport } from '../../shared/contract';
import { Failure } from '../failure';

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

/** Opens the port, reads until the claim ID line appears, closes the port. */
export async function watchForClaimId(options: WatchOptions): Promise<{ claimId: string; line: string }> {
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
                `No "Device Claim ID" line on ${options.path} within ${Math.round(options.timeoutMs / 1000)} s: check the baud rate, then press the board's reset button so the agent starts again.`,
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
