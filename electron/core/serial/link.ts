import type { SerialPort } from 'serialport';
import { Failure } from '../failure';

/** An open serial port as a byte stream: what transports and the terminal build on. */
export interface SerialLink {
  readonly path: string;
  readonly baudRate: number;
  readonly closed: boolean;
  write(data: Buffer | string): Promise<void>;
  /** Every received chunk, in order. Returns an unsubscribe function. */
  onData(listener: (chunk: Buffer) => void): () => void;
  /** Once, when the port closes for any reason (closed by us, unplugged, the far end went away). */
  onClose(listener: (reason: string) => void): () => void;
  close(): Promise<void>;
}

function openFailure(path: string, error: Error): Failure {
  const text = error.message;
  if (/lock|busy|EBUSY|EAGAIN/i.test(text))
    return new Failure(
      'busy',
      `Port ${path} is busy: another program holds it. Close that program and retry.`,
      {
        detail: text,
      },
    );
  if (/ENOENT|No such file/i.test(text))
    return new Failure(
      'port-unavailable',
      `Port ${path} does not exist. Check the cable, or pick the port again.`,
      {
        detail: text,
      },
    );
  if (/EACCES|permission/i.test(text))
    return new Failure(
      'port-unavailable',
      `Port ${path} cannot be opened: permission denied. Add this user to the "dialout" group and log in again.`,
      { detail: text },
    );
  return new Failure('port-unavailable', `Port ${path} cannot be opened.`, { detail: text });
}

export async function createSerialLink(options: { path: string; baudRate: number }): Promise<SerialLink> {
  const { path, baudRate } = options;
  const { SerialPort: Port } = await import('serialport'); // loaded when a port is opened
  const port = await new Promise<SerialPort>((resolve, reject) => {
    const p: SerialPort = new Port({ path, baudRate, hupcl: false }, (err) =>
      err ? reject(openFailure(path, err)) : resolve(p),
    );
  });
  const dataListeners = new Set<(chunk: Buffer) => void>();
  const closeListeners = new Set<(reason: string) => void>();
  let closed = false;
  let closeReason = 'closed';
  const finish = (reason: string) => {
    if (closed) return;
    closed = true;
    closeReason = reason;
    for (const l of [...closeListeners]) l(reason);
  };
  port.on('data', (chunk: Buffer) => {
    for (const l of [...dataListeners]) l(chunk);
  });
  port.on('error', (err: Error) => {
    finish(`error: ${err.message}`);
    if (port.isOpen) port.close(() => undefined);
  });
  port.on('close', (err?: Error & { disconnected?: boolean }) =>
    finish(err?.disconnected ? 'disconnected' : err ? `error: ${err.message}` : closeReason),
  );

  return {
    path,
    baudRate,
    get closed() {
      return closed;
    },
    write(data) {
      if (closed)
        return Promise.reject(
          new Failure(
            'device-disconnected',
            `Port ${path} is closed (${closeReason}). Check the cable and retry.`,
          ),
        );
      return new Promise((resolve, reject) => {
        port.write(data, (err) => {
          if (err)
            return reject(
              new Failure('device-disconnected', `Writing to ${path} failed.`, { detail: err.message }),
            );
          port.drain((e) =>
            e ? reject(new Failure('device-disconnected', `Writing to ${path} failed.`)) : resolve(),
          );
        });
      });
    },
    onData(listener) {
      dataListeners.add(listener);
      return () => dataListeners.delete(listener);
    },
    onClose(listener) {
      if (closed) {
        listener(closeReason);
        return () => undefined;
      }
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close() {
      if (closed || !port.isOpen) {
        finish('closed');
        return Promise.resolve();
      }
      closeReason = 'closed';
      return new Promise((resolve) => port.close(() => resolve()));
    },
  };
}
