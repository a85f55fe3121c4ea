/**
 * The part of the Web Serial `SerialPort` interface that esptool-js's Transport uses, over Node's
 * `serialport`: open/close, readable/writable web streams, setSignals (DTR/RTS for the reset
 * sequences), getInfo (USB ids, to spot a USB-Serial/JTAG port) and setBaudRate (esptool-js changes
 * the rate in place when the port has it, instead of closing and reopening).
 *
 * A port that goes away (a pulled cable) ends the readable stream and sets `lost`, so the session
 * can say "check the cable" rather than "no answer".
 */
import type { SerialPort } from 'serialport';

interface BindingPoller {
  poll(flag?: number): void;
  listenerCount(event: string): number;
}
const patched = new WeakSet<object>();

/**
 * Works around a bug in @serialport/bindings-cpp's unix Poller: `poll(flag)` calls
 * uv_poll_start with only the new flag, which *replaces* the mask libuv watches. A write that got
 * EAGAIN waits for "writable"; if a read then waits for "readable", the writable interest is
 * dropped, and when the other side goes quiet (a unit waiting for the block that write holds) both
 * wait forever. Asking for every event someone still waits for keeps both. (Seen as a block never
 * reaching the simulator under load, with 16 KiB writes into a pty that was momentarily full; a
 * USB-UART's small kernel buffer makes the EAGAIN routine.)
 */
export function keepPollerInterests(port: SerialPort): void {
  const poller = (port as unknown as { port?: { poller?: BindingPoller } }).port?.poller;
  if (!poller || patched.has(poller) || typeof poller.poll !== 'function') return;
  patched.add(poller);
  const poll = poller.poll.bind(poller);
  poller.poll = (flag = 0) =>
    poll(
      flag |
        (poller.listenerCount('readable') > 0 ? 0b0001 : 0) |
        (poller.listenerCount('writable') > 0 ? 0b0010 : 0) |
        (poller.listenerCount('disconnect') > 0 ? 0b0100 : 0),
    );
}

export interface WebSerialInfo {
  usbVendorId?: number;
  usbProductId?: number;
}

export interface SignalState {
  dataTerminalReady?: boolean;
  requestToSend?: boolean;
  break?: boolean;
}

export interface NodeWebSerialOptions {
  path: string;
  info?: WebSerialInfo;
  /** Sees every DTR/RTS change (tests check the reset sequences). */
  onSignals?: (signals: SignalState) => void;
}

/** What the pipelined flash writer needs below esptool-js: bytes as they arrive, and writes that do not wait. */
export interface RawSerialLink {
  /** Sees every chunk the port receives, in the same event as it arrives; returns the unsubscribe. */
  listen(onBytes: (chunk: Buffer) => void, onLost: (why: Error) => void): () => void;
  /** Hands bytes to the port now (queued behind earlier writes, never awaited). */
  writeNow(bytes: Buffer): void;
  readonly lost: boolean;
}

export class NodeWebSerialPort implements RawSerialLink {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  lost = false;
  private port: SerialPort | null = null;
  private readonly listeners = new Set<{ bytes: (c: Buffer) => void; lost: (e: Error) => void }>();

  constructor(private readonly options: NodeWebSerialOptions) {}

  getInfo(): WebSerialInfo {
    return { ...this.options.info };
  }

  async open(options: { baudRate: number }): Promise<void> {
    const { SerialPort } = await import('serialport'); // loaded when a port is opened
    const port = new SerialPort({
      path: this.options.path,
      baudRate: options.baudRate,
      autoOpen: false,
      hupcl: false,
    });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    keepPollerInterests(port);
    this.port = port;
    this.lost = false;
    let ended = false;
    const pending = new Set<(err: Error) => void>();
    let end: () => void = () => undefined;
    const gone = (why: string) => {
      if (this.port === port) this.lost = true;
      const error = new Error(`The serial port closed (${why}).`);
      for (const fail of [...pending]) fail(error);
      for (const l of [...this.listeners]) l.lost(error);
      end();
    };
    this.readable = new ReadableStream<Uint8Array>({
      start: (controller) => {
        end = () => {
          if (!ended) {
            ended = true;
            controller.close();
          }
        };
        port.on('data', (chunk: Buffer) => {
          for (const l of this.listeners)
            try {
              l.bytes(chunk);
            } catch {
              // A listener's fault is its own: the stream below still gets every byte.
            }
          if (!ended) controller.enqueue(new Uint8Array(chunk));
        });
      },
      cancel: () => {
        ended = true;
      },
    });
    // serialport passes an error to "close" when the device went away (a pulled cable, a dead pty).
    port.on('close', (err: unknown) => (err ? gone(String(err)) : end()));
    port.on('error', (err: Error) => {
      gone(err.message);
      if (port.isOpen) port.close(() => undefined);
    });
    this.writable = new WritableStream<Uint8Array>({
      write: (chunk) =>
        new Promise<void>((resolve, reject) => {
          if (this.lost || !port.isOpen) {
            reject(new Error('The serial port is closed.'));
            return;
          }
          const fail = (err: Error) => {
            pending.delete(fail);
            reject(err);
          };
          pending.add(fail);
          // Resolved once the OS has the bytes, not once they left the wire: the reply is read from
          // the readable stream anyway, and waiting for tcdrain only idles the line between commands.
          port.write(Buffer.from(chunk), (err) => {
            pending.delete(fail);
            if (err) reject(err);
            else resolve();
          });
        }),
    });
  }

  listen(onBytes: (chunk: Buffer) => void, onLost: (why: Error) => void): () => void {
    const entry = { bytes: onBytes, lost: onLost };
    this.listeners.add(entry);
    if (this.lost) onLost(new Error('The serial port closed earlier.'));
    return () => this.listeners.delete(entry);
  }

  writeNow(bytes: Buffer): void {
    const port = this.port;
    if (this.lost || !port?.isOpen) throw new Error('The serial port is closed.');
    // serialport queues writes in order; an error surfaces as the port's "error"/"close" (lost).
    port.write(bytes);
  }

  async setSignals(signals: SignalState): Promise<void> {
    this.options.onSignals?.(signals);
    const port = this.port;
    if (!port?.isOpen) return;
    const set: { dtr?: boolean; rts?: boolean; brk?: boolean } = {};
    if (signals.dataTerminalReady !== undefined) set.dtr = signals.dataTerminalReady;
    if (signals.requestToSend !== undefined) set.rts = signals.requestToSend;
    if (signals.break !== undefined) set.brk = signals.break;
    // A pty has no modem lines; a real USB-UART does. Either way the sequence goes on.
    await new Promise<void>((resolve) => port.set(set, () => resolve()));
  }

  async setBaudRate(baudRate: number): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) throw new Error('The serial port is closed.');
    await new Promise<void>((resolve, reject) =>
      port.update({ baudRate }, (err) => (err ? reject(err) : resolve())),
    );
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = null;
    this.readable = null;
    this.writable = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
