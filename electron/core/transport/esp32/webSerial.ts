/**
 * The part of the Web Serial `SerialPort` interface that esptool-js's Transport uses, over Node's
 * `serialport`: open/close, readable/writable web streams, setSignals (DTR/RTS for the reset
 * sequences), getInfo (USB ids, to spot a USB-Serial/JTAG port) and setBaudRate (esptool-js changes
 * the rate in place when the port has it, instead of closing and reopening).
 *
 * A port that goes away (a pulled cable) ends the readable stream and sets `lost`, so the session
 * can say "check the cable" rather than "no answer".
 */
import { SerialPort } from 'serialport';

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

export class NodeWebSerialPort {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  lost = false;
  private port: SerialPort | null = null;

  constructor(private readonly options: NodeWebSerialOptions) {}

  getInfo(): WebSerialInfo {
    return { ...this.options.info };
  }

  async open(options: { baudRate: number }): Promise<void> {
    const port = new SerialPort({
      path: this.options.path,
      baudRate: options.baudRate,
      autoOpen: false,
      hupcl: false,
    });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    this.port = port;
    this.lost = false;
    let closed = false;
    this.readable = new ReadableStream<Uint8Array>({
      start: (controller) => {
        port.on('data', (chunk: Buffer) => {
          if (!closed) controller.enqueue(new Uint8Array(chunk));
        });
        port.on('close', (err: unknown) => {
          // serialport passes a "disconnected" error when the device went away.
          if (err) this.lost = true;
          if (!closed) {
            closed = true;
            controller.close();
          }
        });
        port.on('error', () => {
          this.lost = true;
        });
      },
      cancel: () => {
        closed = true;
      },
    });
    this.writable = new WritableStream<Uint8Array>({
      write: (chunk) =>
        new Promise<void>((resolve, reject) => {
          if (!port.isOpen) {
            this.lost = true;
            reject(new Error('The serial port is closed.'));
            return;
          }
          port.write(Buffer.from(chunk), (err) => {
            if (err) {
              this.lost = true;
              reject(err);
            } else port.drain(() => resolve());
          });
        }),
    });
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
