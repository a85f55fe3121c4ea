/**
 * A simulated microcontroller unit on the far end of a socat pty pair: speaks the framed protocol,
 * keeps files in `dir`, paces its line like a UART at `baud`, and injects faults on request.
 * Used by integration tests, the bench, end-to-end tests and by hand (`npm run device:sim -- --pty`).
 */
import fs from 'node:fs';
import { SerialPort } from 'serialport';
import { createDecoder, encodeFrame, type Frame } from '../../../electron/core/transport/framed/frame';
import { Cmd, PROTOCOL_VERSION } from '../../../electron/core/transport/framed/protocol';
import { createPtyPair } from '../ptyPair';
import { createDevice } from './device';
import { createPacedLine } from './pacing';

export type CommandName = keyof typeof Cmd;

export type Fault =
  /** One bit flipped on the wire in the nth such request: the CRC catches it, the unit NAKs. */
  | { kind: 'flip'; command?: CommandName; nth?: number }
  /** Bytes lost from the middle of the nth such request: a partial frame, then silence. */
  | { kind: 'drop'; command?: CommandName; nth?: number; bytes?: number }
  /** One bit flipped in the unit's reply to the nth such request. */
  | { kind: 'flip-reply'; command?: CommandName; nth?: number }
  /** The unit goes quiet for `ms` before answering the nth such request. */
  | { kind: 'stall'; command?: CommandName; nth?: number; ms?: number }
  /** The cable is pulled when the nth such request arrives. */
  | { kind: 'disconnect'; command?: CommandName; nth?: number }
  /** HASH replies carry a wrong digest (the file on the unit is not what was sent). */
  | { kind: 'wrong-hash'; nth?: number }
  /** The nth CSR names another claim ID (a correctly signed request for the wrong unit). */
  | { kind: 'wrong-subject'; nth?: number }
  /** The nth CSR's signature is damaged (one bit of it flipped). */
  | { kind: 'bad-signature'; nth?: number };

export interface SimulatorStats {
  framesReceived: number;
  badFrames: number;
  duplicates: number;
  naksSent: number;
  faultsInjected: Record<string, number>;
  bytesReceived: number;
  bytesSent: number;
  /** Frames received per command name (retransmissions included). */
  commands: Partial<Record<CommandName, number>>;
}

export interface SimulatorOptions {
  dir: string;
  baud?: number;
  faults?: Fault[];
  maxPayload?: number;
  serial?: string;
  model?: string;
  /** The newest framed protocol version the unit speaks (default 2; 1 is an old stop-and-wait unit). */
  protocolVersion?: number;
  /** The oldest version it speaks (default 1). */
  oldestVersion?: number;
  /** Version 2: the receive window it announces, in frames (default 8). */
  window?: number;
  /** Firmware without the CSR command (answers UNKNOWN_COMMAND). */
  withoutCsr?: boolean;
  /** Bench baseline: no protocol; answers one 0x06 byte after every `rawAckEvery` bytes received. */
  rawAckEvery?: number;
}

export interface Simulator {
  /** The station's side: open this path. */
  path: string;
  stats: SimulatorStats;
  /** Adds faults while running. */
  inject(fault: Fault): void;
  stop(): Promise<void>;
}

const IDLE_RESET_MS = 100;

function openPort(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port: SerialPort = new SerialPort({ path, baudRate, hupcl: false }, (err) =>
      err ? reject(err) : resolve(port),
    );
  });
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const baud = options.baud ?? 115200;
  const maxPayload = options.maxPayload ?? 16384;
  fs.mkdirSync(options.dir, { recursive: true });
  const pair = await createPtyPair();
  const port = await openPort(pair.b!, baud);
  const faults = [...(options.faults ?? [])];
  const counts = new Map<number, number>();
  const stats: SimulatorStats = {
    framesReceived: 0,
    badFrames: 0,
    duplicates: 0,
    naksSent: 0,
    faultsInjected: {},
    bytesReceived: 0,
    bytesSent: 0,
    commands: {},
  };
  const device = createDevice({
    dir: options.dir,
    maxPayload,
    serial: options.serial ?? 'SIM-0001',
    model: options.model ?? 'Lineside simulated unit',
    protocolVersion: options.protocolVersion ?? PROTOCOL_VERSION,
    ...(options.oldestVersion ? { oldestVersion: options.oldestVersion } : {}),
    ...(options.window ? { window: options.window } : {}),
    ...(options.withoutCsr ? { withoutCsr: true } : {}),
  });
  const decoder = createDecoder(maxPayload + 64);
  let stopped = false;
  let framing = false;
  let idle: NodeJS.Timeout | null = null;
  let rawCount = 0;

  const line = createPacedLine({
    baud,
    deliver: (chunk) => onBytes(chunk),
    write: (chunk) => {
      if (stopped) return;
      stats.bytesSent += chunk.length;
      port.write(chunk);
    },
  });

  async function stop() {
    if (stopped) return;
    stopped = true;
    line.stop();
    if (idle) clearTimeout(idle);
    await new Promise((r) => (port.isOpen ? port.close(() => r(undefined)) : r(undefined)));
    await pair.stop();
  }

  function takeFault(type: number) {
    const n = counts.get(type) ?? 0;
    const i = faults.findIndex((f) => {
      const command =
        f.kind === 'wrong-hash'
          ? type === Cmd.VERIFY
            ? 'VERIFY'
            : 'HASH'
          : f.kind === 'wrong-subject' || f.kind === 'bad-signature'
            ? 'CSR'
            : (f.command ?? 'PUT_DATA');
      // A read-back is a HASH or a VERIFY: the nth of either.
      const nth = f.kind === 'wrong-hash' ? (counts.get(Cmd.HASH) ?? 0) + (counts.get(Cmd.VERIFY) ?? 0) : n;
      return Cmd[command] === type && (f.nth ?? 1) === nth;
    });
    if (i < 0) return null;
    const [fault] = faults.splice(i, 1);
    stats.faultsInjected[fault!.kind] = (stats.faultsInjected[fault!.kind] ?? 0) + 1;
    return fault!;
  }

  function onBytes(chunk: Buffer) {
    if (stopped) return;
    stats.bytesReceived += chunk.length;
    if (options.rawAckEvery) {
      rawCount += chunk.length;
      while (rawCount >= options.rawAckEvery) {
        rawCount -= options.rawAckEvery;
        line.send(Buffer.from([0x06]));
      }
      return;
    }
    if (idle) clearTimeout(idle);
    for (const event of decoder.push(chunk)) {
      if (event.kind === 'noise') {
        // Enter on the console before framing starts: print the banner again, like a prompt.
        if (!framing && /[\r\n]/.test(event.bytes.toString('latin1')))
          line.send(Buffer.from(device.banner()));
      } else if (event.kind === 'bad') {
        stats.badFrames++;
        stats.naksSent++;
        line.send(device.nak(device.expected()));
      } else onFrame(event.frame);
    }
    // A receiver drops a partial frame after 100 ms of silence (docs/serial-protocol.md).
    if (decoder.pending) idle = setTimeout(() => decoder.reset(), IDLE_RESET_MS);
  }

  // A stalled unit handles nothing else until it answers: frames received meanwhile wait, in order.
  let stalled: Frame[] | null = null;

  function onFrame(frame: Frame) {
    if (stalled) {
      stalled.push(frame);
      return;
    }
    stats.framesReceived++;
    framing = true;
    counts.set(frame.type, (counts.get(frame.type) ?? 0) + 1);
    const name = (Object.keys(Cmd) as CommandName[]).find((k) => Cmd[k] === frame.type);
    if (name) stats.commands[name] = (stats.commands[name] ?? 0) + 1;
    const fault = takeFault(frame.type);
    if (fault?.kind === 'flip' || fault?.kind === 'drop') {
      const raw = encodeFrame(frame);
      if (fault.kind === 'flip') {
        raw[Math.floor(raw.length / 2)]! ^= 0x10;
        for (const e of createDecoder(maxPayload + 64).push(raw))
          if (e.kind === 'bad') {
            stats.badFrames++;
            stats.naksSent++;
            line.send(device.nak(device.expected()));
          }
      } else {
        const keep = Math.max(9, Math.floor(raw.length / 2));
        const lossy = Buffer.concat([raw.subarray(0, keep), raw.subarray(keep + (fault.bytes ?? 3))]);
        for (const e of decoder.push(lossy)) if (e.kind === 'bad') stats.badFrames++;
        if (decoder.pending) idle = setTimeout(() => decoder.reset(), IDLE_RESET_MS);
      }
      return;
    }
    if (fault?.kind === 'disconnect') {
      void stop();
      return;
    }
    const answer = () => {
      if (stopped) return;
      const deviceFault =
        fault?.kind === 'wrong-subject' || fault?.kind === 'bad-signature' || fault?.kind === 'wrong-hash'
          ? fault.kind
          : undefined;
      const { bytes, duplicate, skipped } = device.reply(frame, deviceFault);
      if (duplicate) stats.duplicates++;
      if (skipped) stats.naksSent++;
      const out = bytes;
      if (fault?.kind === 'flip-reply') {
        const damaged = Buffer.from(bytes);
        damaged[damaged.length - 6]! ^= 0x01;
        line.send(damaged);
      } else line.send(out);
      if (frame.type === Cmd.REBOOT && !duplicate) {
        framing = false;
        device.reset();
        setTimeout(() => line.send(Buffer.from(device.banner())), 50);
      }
    };
    if (fault?.kind === 'stall') {
      line.stall(fault.ms ?? 1500);
      stalled = [];
      setTimeout(() => {
        answer();
        const waiting = stalled ?? [];
        stalled = null;
        for (const f of waiting) onFrame(f);
      }, fault.ms ?? 1500);
    } else answer();
  }

  port.on('data', (chunk: Buffer) => line.receive(chunk));
  if (!options.rawAckEvery) line.send(Buffer.from(device.banner()));

  return {
    path: pair.a,
    stats,
    inject: (fault) => faults.push(fault),
    stop,
  };
}
