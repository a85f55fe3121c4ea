/**
 * A Linux unit's serial console with a real UART's timing: a real `/bin/sh` on a pty, reached
 * through a second pty pair whose bytes are relayed at `baud` (8N1, paced like the framed
 * simulator's line, test/support/deviceSim/pacing.ts). The station opens `path`. For the serial
 * bench and timing-sensitive shell tests; ptys alone ignore baud.
 */
import path from 'node:path';
import { SerialPort } from 'serialport';
import { createPacedLine } from './deviceSim/pacing';
import { createPtyPair, createShellPty } from './ptyPair';
import { makeTempDir } from './tempDir';

function open(p: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port: SerialPort = new SerialPort({ path: p, baudRate, hupcl: false }, (err) =>
      err ? reject(err) : resolve(port),
    );
  });
}

export async function startShellUnit(options: {
  baud: number;
  /** Every byte the station sends, as it reaches the unit's console. */
  onStationBytes?: (chunk: Buffer) => void;
  env?: Record<string, string>;
}): Promise<{
  /** The station's side. */
  path: string;
  /** The unit's state directory (an empty temp directory). */
  dir: string;
  stop(): Promise<void>;
}> {
  const temp = makeTempDir('lineside-shell-unit-');
  const shell = await createShellPty({ cwd: temp.dir, ...(options.env ? { env: options.env } : {}) });
  const pair = await createPtyPair();
  const toShell = await open(shell.a, options.baud);
  const fromStation = await open(pair.b!, options.baud);
  const line = createPacedLine({
    baud: options.baud,
    deliver: (chunk) => {
      options.onStationBytes?.(chunk);
      toShell.write(chunk);
    },
    write: (chunk) => fromStation.write(chunk),
  });
  fromStation.on('data', (c: Buffer) => line.receive(c));
  toShell.on('data', (c: Buffer) => line.send(c));
  const close = (p: SerialPort) =>
    new Promise((r) => (p.isOpen ? p.close(() => r(undefined)) : r(undefined)));
  return {
    path: pair.a,
    dir: path.join(temp.dir, 'state'),
    async stop() {
      line.stop();
      await close(fromStation);
      await close(toShell);
      await pair.stop();
      await shell.stop();
      temp.cleanup();
    },
  };
}
