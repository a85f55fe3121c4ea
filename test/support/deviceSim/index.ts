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
  /** The whole nth such request is lost on the wire (never arrives). */
  | { kind: 'lose'; command?: CommandName; nth?: number }
  /** The unit sends its reply to the nth such request twice. */
  | { kind: 'dup-reply'; command?: CommandName; nth?: number }
  /** The unit resets (power glitch) when the nth such request arrives: RAM state gone, banner again. */
  | { kind: 'reset'; command?: CommandName; nth?: number }
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
  /**
   * Milliseconds this process really spent handling requests (disk writes, hashing): on a loaded
   * machine it exceeds the modelled unit time, and the bench reports it apart from the line's.
   */
  handleMs: number;
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
  /** Version 3 firmware without an inflater (takes stored file sets only). */
  withoutDeflate?: boolean;
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

/**
 * The unit's own time, so it is never more generous than a microcontroller: it handles one request
 * at a time, each costs a fixed 0.1 ms plus 1 µs per payload byte received (CRC, inflate, write:
 * ~1 MB/s, overlapping the next frame's arrival) plus 0.25 µs per byte it reads back and hashes
 * (~4 MB/s, SHA-256 over flash). A reply leaves when that work is done and the line is free.
 * Flash erase times are not modelled (a storage-bound unit is slower than any protocol).
 */
export const UNIT_COMMAND_MS = 0.1;
export const UNIT_BYTE_MS = 0.001;
export const UNIT_READBACK_BYTE_MS = 0.00025;

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
    handleMs: 0,
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
    ...(options.withoutDeflate ? { withoutDeflate: true } : {}),
  });
  const decoder = createDecoder(maxPayload + 64);
  let stopped = false;
  let framing = false;
  let idle: NodeJS.Timeout | null = null;
  let rawCount = 0;
  /** When the unit's CPU is free again (performance.now() time). */
  let busyUntil = 0;

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

  let readBacks = 0;
  /** Faults name PUT_DATA by default; a v3 unit gets its files as SET_DATA. */
  const defaultCommand = (): CommandName => (device.version() >= 3 ? 'SET_DATA' : 'PUT_DATA');
  function takeFault(type: number, completing: boolean) {
    const n = counts.get(type) ?? 0;
    // A read-back is a HASH, a VERIFY or (v3) the frame that completes a set: the nth of any.
    const readBack =
      type === Cmd.HASH ||
      type === Cmd.VERIFY ||
      (completing && (type === Cmd.SET_BEGIN || type === Cmd.SET_DATA));
    if (readBack) readBacks++;
    const i = faults.findIndex((f) => {
      if (f.kind === 'wrong-hash') return readBack && (f.nth ?? 1) === readBacks;
      const command =
        f.kind === 'wrong-subject' || f.kind === 'bad-signature' ? 'CSR' : (f.command ?? defaultCommand());
      return Cmd[command] === type && (f.nth ?? 1) === n;
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
    const fault = takeFault(frame.type, device.completesSet(frame));
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
    if (fault?.kind === 'lose') return; // the whole frame never arrived
    if (fault?.kind === 'reset') {
      // Power glitch: everything in RAM is gone (the set so far, the reply cache, the session);
      // the unit boots again and prints its banner, and answers nothing it was in the middle of.
      framing = false;
      device.reset();
      decoder.reset();
      line.send(Buffer.from(device.banner()));
      return;
    }
    const answer = () => {
      if (stopped) return;
      const deviceFault =
        fault?.kind === 'wrong-subject' || fault?.kind === 'bad-signature' || fault?.kind === 'wrong-hash'
          ? fault.kind
          : undefined;
      // The unit's modelled work starts when the request is in (or when it finished the previous
      // one); the reply never leaves before that work is done, nor before this process has really
      // done it (files on disk), whichever is later.
      const arrived = performance.now();
      const { bytes, duplicate, skipped, readBack } = device.reply(frame, deviceFault);
      stats.handleMs += performance.now() - arrived;
      if (duplicate) stats.duplicates++;
      if (skipped) stats.naksSent++;
      busyUntil =
        Math.max(busyUntil, arrived) +
        UNIT_COMMAND_MS +
        (duplicate || skipped ? 0 : frame.payload.length * UNIT_BYTE_MS + readBack * UNIT_READBACK_BYTE_MS);
      if (fault?.kind === 'flip-reply') {
        const damaged = Buffer.from(bytes);
        damaged[8]! ^= 0x01; // the status byte: the header stays readable, the CRC fails
        line.send(damaged, busyUntil);
      } else line.send(bytes, busyUntil);
      // A unit whose reply went out twice (its UART driver repeated the buffer): the station must
      // take the first and ignore the copy.
      if (fault?.kind === 'dup-reply') line.send(bytes, busyUntil);
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
