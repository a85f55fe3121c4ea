/**
 * `npm run device:sim -- --pty [--dir DIR] [--baud 115200] [--fault flip:PUT_DATA:2] [--version 2]` (1: an old stop-and-wait unit):
 * a simulated unit for demos and evaluators without hardware. Prints the pty path to open.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Cmd } from '../../../electron/core/transport/framed/protocol';
import { startSimulator, type CommandName, type Fault } from './index';

const { values } = parseArgs({
  options: {
    pty: { type: 'boolean', default: false },
    dir: { type: 'string' },
    baud: { type: 'string', default: '115200' },
    fault: { type: 'string', multiple: true, default: [] },
    version: { type: 'string', default: '2' },
    serial: { type: 'string', default: 'SIM-0001' },
  },
});

if (!values.pty) {
  console.error(
    'usage: npm run device:sim -- --pty [--dir DIR] [--baud N] [--fault KIND[:COMMAND[:N]]] [--version V]',
  );
  console.error(
    'faults: flip, drop, flip-reply, stall, disconnect, wrong-hash, wrong-subject, bad-signature; commands: ' +
      Object.keys(Cmd).join(', '),
  );
  process.exit(2);
}

function parseFault(text: string): Fault {
  const [kind, command, nth] = text.split(':');
  const known = [
    'flip',
    'drop',
    'flip-reply',
    'stall',
    'disconnect',
    'wrong-hash',
    'wrong-subject',
    'bad-signature',
  ];
  if (!kind || !known.includes(kind)) throw new Error(`unknown fault "${text}" (one of ${known.join(', ')})`);
  if (command && !(command in Cmd)) throw new Error(`unknown command "${command}"`);
  return {
    kind,
    ...(command ? { command: command as CommandName } : {}),
    ...(nth ? { nth: Number(nth) } : {}),
  } as Fault;
}

const dir = path.resolve(values.dir ?? path.join(os.tmpdir(), 'lineside-device-sim'));
const sim = await startSimulator({
  dir,
  baud: Number(values.baud),
  faults: values.fault.map(parseFault),
  protocolVersion: Number(values.version),
  serial: values.serial,
});
console.log(`Simulated unit ready. Open this port in Lineside: ${sim.path}`);
console.log(`  files: ${dir}   baud: ${values.baud} (paced, 8N1)   protocol: framed v${values.version}`);
console.log('Ctrl+C stops it.');
const quit = () => void sim.stop().then(() => process.exit(0));
process.on('SIGINT', quit);
process.on('SIGTERM', quit);
