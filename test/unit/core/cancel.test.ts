import { describe, expect, it, vi } from 'vitest';
import { keepOpenUnlessCancelled, openUnlessCancelled, whileOpen } from '../../../electron/core/cancel';
import { Failure } from '../../../electron/core/failure';

/** A session whose pending wait ends (with the port's error) when it is closed, like a serial link. */
function session() {
  let fail: ((e: Error) => void) | null = null;
  const close = vi.fn(async () => fail?.(new Failure('device-disconnected', 'The port closed.')));
  const wait = () => new Promise<string>((_resolve, reject) => (fail = reject));
  return { close, wait };
}

describe('cancellation at the boundary', () => {
  it('closes the session when the signal aborts mid-wait, and answers cancelled, not the port error', async () => {
    const s = session();
    const controller = new AbortController();
    const call = whileOpen(controller.signal, s.close, s.wait);
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'cancelled' });
    expect(s.close).toHaveBeenCalledTimes(1);
  });

  it('closes after the work without a signal, and keeps the work error', async () => {
    const close = vi.fn(async () => undefined);
    expect(await whileOpen(undefined, close, async () => 'read')).toBe('read');
    await expect(
      whileOpen(undefined, close, async () => {
        throw new Failure('device-timeout', 'No answer.');
      }),
    ).rejects.toMatchObject({ code: 'device-timeout' });
    expect(close).toHaveBeenCalledTimes(2);
  });

  it('keeps a session open that succeeded, closes one that failed or was cancelled', async () => {
    const close = vi.fn(async () => undefined);
    expect(await keepOpenUnlessCancelled(new AbortController().signal, close, async () => 'store')).toBe(
      'store',
    );
    expect(close).not.toHaveBeenCalled();
    await expect(
      keepOpenUnlessCancelled(undefined, close, async () => {
        throw new Failure('io', 'Bad store.');
      }),
    ).rejects.toMatchObject({ code: 'io' });
    expect(close).toHaveBeenCalledTimes(1);
    const s = session();
    const controller = new AbortController();
    const call = keepOpenUnlessCancelled(controller.signal, s.close, s.wait);
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'cancelled' });
    expect(s.close).toHaveBeenCalledTimes(1);
  });

  it('does not open for a client already gone, and names an open that was cut short cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const open = vi.fn(async () => 'session');
    await expect(openUnlessCancelled(controller.signal, open)).rejects.toMatchObject({ code: 'cancelled' });
    expect(open).not.toHaveBeenCalled();
    const live = new AbortController();
    const opening = openUnlessCancelled(live.signal, async () => {
      live.abort();
      throw new Failure('cancelled', 'Stopped on request.');
    });
    await expect(opening).rejects.toThrow(/window or page that asked has closed/);
  });
});
