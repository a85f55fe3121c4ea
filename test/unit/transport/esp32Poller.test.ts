/**
 * The serialport poller workaround (webSerial.ts keepPollerInterests), on @serialport/bindings-cpp's
 * real JS Poller with a stand-in for its native half that behaves as libuv's uv_poll_start does:
 * each call *replaces* the watched mask. Unpatched, a write waiting for "writable" loses that
 * interest as soon as a read waits for "readable" (the hang of a block that never reaches the unit);
 * patched, both stay watched.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { SerialPort } from 'serialport';
import { keepPollerInterests } from '../../../electron/core/transport/esp32/webSerial';

const require = createRequire(import.meta.url);
const { Poller } = require('@serialport/bindings-cpp/dist/poller') as {
  Poller: new (fd: number, native: unknown) => { once(event: string, cb: (err: unknown) => void): unknown };
};
const READABLE = 0b0001;
const WRITABLE = 0b0010;

function withNativeStandIn() {
  const watched: number[] = [];
  class NativePoller {
    constructor(_fd: number, _callback: unknown) {}
    poll(mask: number) {
      watched.push(mask); // uv_poll_start: the mask given is now the whole mask watched
    }
    stop() {}
    destroy() {}
  }
  const poller = new Poller(3, NativePoller);
  return { poller, watched, port: { port: { poller } } as unknown as SerialPort };
}

describe('the serial poller keeps every event someone waits for', () => {
  it('unpatched, a read waiting drops the write that waits (the bug this works around)', () => {
    const { poller, watched } = withNativeStandIn();
    poller.once('writable', () => undefined);
    poller.once('readable', () => undefined);
    expect(watched.at(-1)! & WRITABLE).toBe(0);
  });

  it('patched, a write waiting for "writable" stays watched when a read waits for "readable", and the other way round', () => {
    const a = withNativeStandIn();
    keepPollerInterests(a.port);
    a.poller.once('writable', () => undefined);
    a.poller.once('readable', () => undefined);
    expect(a.watched.at(-1)! & (READABLE | WRITABLE)).toBe(READABLE | WRITABLE);

    const b = withNativeStandIn();
    keepPollerInterests(b.port);
    b.poller.once('readable', () => undefined);
    b.poller.once('writable', () => undefined);
    expect(b.watched.at(-1)! & (READABLE | WRITABLE)).toBe(READABLE | WRITABLE);
  });
});
