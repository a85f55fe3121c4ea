/**
 * Cancellation at the boundary: a call's `signal` (handlers/types.ts CallContext) aborts when the
 * window or page that made it goes away. Operations that wait on a unit hold a session; closing
 * the session ends every wait on it at once, so `whileOpen` closes it on abort and answers
 * `cancelled` instead of whatever error the closed port produced.
 */
import { Failure } from './failure';

export function cancelledFailure(): Failure {
  return new Failure(
    'cancelled',
    'The window or page that asked has closed, so the station stopped waiting and freed the port.',
  );
}

/** Opens something that may wait (a session saying hello, a shell login); cancelled when aborted. */
export async function openUnlessCancelled<T>(
  signal: AbortSignal | undefined,
  open: () => Promise<T>,
): Promise<T> {
  if (signal?.aborted) throw cancelledFailure();
  try {
    return await open();
  } catch (error) {
    if (signal?.aborted) throw cancelledFailure();
    throw error;
  }
}

/**
 * Runs `work` on an open session and closes it afterwards; when `signal` aborts meanwhile, the
 * session is closed at once (ending the wait) and the call fails as `cancelled`.
 */
export function whileOpen<T>(
  signal: AbortSignal | undefined,
  close: () => Promise<unknown>,
  work: () => Promise<T>,
): Promise<T> {
  return guarded(signal, close, work, true);
}

/**
 * Like `whileOpen` for a session that outlives the call (a device store kept open): closed on
 * abort or failure, left open when `work` succeeds.
 */
export function keepOpenUnlessCancelled<T>(
  signal: AbortSignal | undefined,
  close: () => Promise<unknown>,
  work: () => Promise<T>,
): Promise<T> {
  return guarded(signal, close, work, false);
}

async function guarded<T>(
  signal: AbortSignal | undefined,
  close: () => Promise<unknown>,
  work: () => Promise<T>,
  closeAfter: boolean,
): Promise<T> {
  let closing: Promise<unknown> | null = null;
  const closeOnce = () => (closing ??= close().catch(() => undefined));
  const onAbort = () => void closeOnce();
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal?.aborted) throw cancelledFailure();
    return await work();
  } catch (error) {
    await closeOnce();
    if (signal?.aborted) throw cancelledFailure();
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (closeAfter) await closeOnce();
  }
}
