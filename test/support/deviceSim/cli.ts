/**
 * `npm run device:sim -- --pty [--dir DIR] [--baud 115200] [--fault flip:SET_DATA:2] [--version 3]` (2: PUT per file and VERIFY; 1: an old stop-and-wait unit):
 * a simulated unit for demos and evaluators without hardware. Prints the pty path to open.
 * `npm run device:sim -- --esp32 --pty [--dir DIR] [--chip esp32] [--fault disconnect:FLASH_DEFL_DATA:2]`:
 * an ESP32 in its ROM bootloader instead (test/support/esp32Sim).
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
    version: { type: 'string', default: '3' },
    serial: { type: 'string', default: 'SIM-0001' },
    esp32: { type: 'boolean', default: false },
    chip: { type: 'string', default: 'esp32' },
    'no-storage': { type: 'boolean', default: false },
    'storage-size': { type: 'string' },
    'erase-ms': { type: 'string', default: '10' },
    'block-erase-ms': { type: 'string' },
    'program-ms': { type: 'string', default: '0.4' },
  },
});

if (values.esp32 && values.pty) {
  const { startEsp32Sim } = await import('../esp32Sim');
  const { Op } = await import('../esp32Sim/rom');
  const kinds = ['bad-checksum', 'drop-reply', 'md5-mismatch', 'disconnect'];
  const faults = values.fault.map((text) => {
    const [kind, op, nth] = text.split(':');
    if (!kind || !kinds.includes(kind))
      throw new Error(`unknown fault "${text}" (one of ${kinds.join(', ')})`);
    if (op && !(op in Op)) throw new Error(`unknown command "${op}" (one of ${Object.keys(Op).join(', ')})`);
    return {
      kind: kind as 'bad-checksum',
      ...(op ? { op: op as keyof typeof Op } : {}),
      ...(nth ? { nth: Number(nth) } : {}),
    };
  });
  const chip = values.chip === 'esp32-s2' ? 'esp32-s2' : 'esp32';
  const espDir = path.resolve(values.dir ?? path.join(os.tmpdir(), 'lineside-esp32-sim'));
  const sim = await startEsp32Sim({
    dir: espDir,
    chip,
    faults,
    eraseMsPerSector: Number(values['erase-ms']),
    ...(values['block-erase-ms'] !== undefined ? { blockEraseMs: Number(values['block-erase-ms']) } : {}),
    programMsPerPage: Number(values['program-ms']),
    ...(values['no-storage'] ? { storageSize: null } : {}),
    ...(values['storage-size'] ? { storageSize: Number(values['storage-size']) } : {}),
  });
  console.log(`Simulated ESP32 (ROM bootloader) ready. Open this port in Lineside: ${sim.path}`);
  console.log(
    `  flash: ${sim.flashFile}   chip: ${chip}   line paced at the current baud (115200 until changed)`,
  );
  console.log('Ctrl+C stops it.');
  const quitEsp = () => void sim.stop().then(() => process.exit(0));
  process.on('SIGINT', quitEsp);
  process.on('SIGTERM', quitEsp);
  await new Promise(() => undefined);
}

if (!values.pty) {
  console.error(
    'usage: npm run device:sim -- --pty [--dir DIR] [--baud N] [--fault KIND[:COMMAND[:N]]] [--version V]',
  );
  console.error(
    '       npm run device:sim -- --esp32 --pty [--dir DIR] [--chip esp32|esp32-s2] [--no-storage] [--storage-size N] [--erase-ms MS] [--block-erase-ms MS] [--program-ms MS-PER-PAGE] [--fault bad-checksum|drop-reply|md5-mismatch|disconnect[:OP[:N]]]',
  );
  console.error(
    'faults: flip, drop, lose, flip-reply, dup-reply, stall, disconnect, reset, wrong-hash, wrong-subject, bad-signature; commands: ' +
      Object.keys(Cmd).join(', '),
  );
  process.exit(2);
}

function parseFault(text: string): Fault {
  const [kind, command, nth] = text.split(':');
  const known = [
    'flip',
    'drop',
    'lose',
    'flip-reply',
    'dup-reply',
    'stall',
    'disconnect',
    'reset',
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
