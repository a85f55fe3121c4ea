/**
 * ESP32 units against the ROM bootloader simulator, in one run, median and spread of 5 rounds each.
 * The simulator paces the UART at the current baud and is as slow as a typical SPI NOR datasheet
 * (sector erase 45 ms, 64 KiB block erase 150 ms, page program 0.4 ms per 256 bytes); its stub
 * erases as it writes and acknowledges a block only when it has finished the one before, as
 * esptool's flasher stub does (docs/esp32.md, "How fast").
 * - a real unit's state image (the shipped ioto-esp32 state folder + device.json5 + certificate and
 *   key) written compressed + MD5-verified into a 4 MB partition at 921600: the effective payload
 *   rate (uncompressed image bytes per second of write + verify) against the same image written
 *   uncompressed (the baseline);
 * - line efficiency of the compressed bytes during the write phase: compressed bytes ÷ (baud/10 ×
 *   write-phase time), the write phase running from the first FLASH_DEFL_DATA handed to the port to
 *   the stub's answer to FLASH_DEFL_END (everything in flash). Goal >= 90 %; esptool publishes ~64 %
 *   at 921600. Baseline: the same blocks sent through esptool-js's flashDeflBlock, one await each.
 *   Printed with it: the share of that time the data blocks kept the line busy up to the last
 *   acknowledgement, the host's turnaround per block, and the time the stub needed after the last
 *   acknowledgement (erasing and programming what it had received);
 * - the same with a 512 KiB web site of already-compressed assets (many 16 KiB blocks);
 * - the whole unit through the station, connect to PASS, against the same session steps called
 *   directly (the station's own overhead);
 * - the LittleFS writer on the same small state tree (goal >= 50 MB/s of image) against copying the
 *   same file bytes into a buffer of the image's size.
 */
import crypto from 'node:crypto';
import { buildUnitImage } from '../electron/core/esp32/image';
import { esp32Settings } from '../electron/core/esp32/profile';
import { buildLittleFs, espGeometry } from '../electron/core/littlefs';
import { openEsp32Session, type WriteTiming } from '../electron/core/transport/esp32';
import type { DeviceFile, TransportSettings } from '../electron/core/transport/types';
import { spawn } from 'node:child_process';
import { createTestStation, factoryProfilesDir } from '../test/support/station';
import { makeTempDir } from '../test/support/tempDir';
import { figure, median, medianAndSpread, runs, section, timeAsync, timeIt } from './harness';

const BAUD = 921600;
/** A typical 4 MB SPI NOR (W25Q32JV datasheet, typical): sector erase, 64 KiB block erase, page program. */
const ERASE_MS = 45;
const BLOCK_ERASE_MS = 150;
const PROGRAM_MS_PER_PAGE = 0.4;
const ROUNDS = runs();

function unitFiles(claimId: string): DeviceFile[] {
  const pem = (label: string, n: number) =>
    `-----BEGIN ${label}-----\n${crypto.randomBytes(n).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`;
  return [
    {
      path: 'config/device.json5',
      content: Buffer.from(
        `{\n  product: '01J9ESP32DEMQ0KXR7V4T2N8MB',\n  id: '${claimId}',\n  name: 'Ioto ESP32 Demo',\n  model: 'ESP32-DEMO',\n  created: '${new Date().toISOString()}',\n}\n`,
      ),
      mode: 0o644,
    },
    { path: 'certs/ioto.crt', content: Buffer.from(pem('CERTIFICATE', 700)), mode: 0o644 },
    { path: 'certs/ioto.key', content: Buffer.from(pem('PRIVATE KEY', 140)), mode: 0o600 },
  ];
}

function settings(): TransportSettings {
  return {
    kind: 'esp32',
    baudRate: 115200,
    deviceDir: '/state',
    esp32: esp32Settings({ stateDir: 'ioto-esp32' }, factoryProfilesDir),
  };
}

/**
 * The simulator in its own process, as a real chip is its own hardware: its UART pacing must not
 * wait behind the station's work in the same event loop.
 */
async function spawnSim(dir: string): Promise<{ path: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/support/deviceSim/cli.ts',
      '--esp32',
      '--pty',
      '--dir',
      dir,
      '--erase-ms',
      String(ERASE_MS),
      '--block-erase-ms',
      String(BLOCK_ERASE_MS),
      '--program-ms',
      String(PROGRAM_MS_PER_PAGE),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const portPath = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Open this port in Lineside: (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
  });
  return {
    path: portPath,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface WriteSample {
  payloadRate: number;
  /** Percent of the line rate over the write phase (first DEFL_DATA sent to DEFL_END answered). */
  line: number;
  /** Percent over first DEFL_DATA sent to the last block acknowledged. */
  lineData: number;
  /** Median ms from a block's acknowledgement to the next block handed to the port. */
  turnaround: number;
  /** ms from the last acknowledgement to DEFL_END answered: the stub finishing what it received. */
  finish: number;
  /** Median ms a block took from handed to the port to acknowledged, beyond its frame's line time. */
  beyondLine: number;
  compressed: number;
  used: number;
}

type Mode = 'pipelined' | 'esptool-js' | 'plain';

async function writeRounds(mode: Mode, extra: DeviceFile[] = []): Promise<WriteSample[]> {
  const temp = makeTempDir('lineside-bench-esp32-');
  const sim = await spawnSim(temp.dir);
  const session = await openEsp32Session({ path: sim.path, settings: settings() });
  const out: WriteSample[] = [];
  const lineRate = BAUD / 10;
  try {
    // Every mode goes through the same loader and the same paced line.
    for (let i = 0; i < ROUNDS; i++) {
      const files = [...unitFiles(`BENCH${String(i).padStart(5, '0')}`), ...extra];
      const image = buildUnitImage(settings().esp32!.stateFiles, files, 0x400000);
      session.lastWrite = null;
      const { ms } = await timeAsync(async () => {
        if (mode === 'plain') await session.writeImage(image.payload, { compress: false });
        else
          await session.writeImage(image.payload, {
            compress: true,
            ...(mode === 'esptool-js' ? { blocksVia: 'esptool-js' as const } : {}),
          });
        const ok = await session.verifyFiles(files);
        if (!ok.every((r) => r.ok)) throw new Error('bench image did not verify');
      });
      process.stderr.write(
        `# esp32 ${mode}${extra.length ? ' +site' : ''} round ${i + 1}: ${ms.toFixed(0)} ms\n`,
      );
      const w = session.lastWrite as WriteTiming | null;
      const turn = w ? w.ackAt.slice(0, -1).map((at, k) => w.sentAt[k + 1]! - at) : [];
      const frameMs = w ? (1000 * (w.wireBytes / Math.max(1, w.blocks))) / lineRate : 0;
      const trips = w ? w.ackAt.map((at, k) => at - w.sentAt[k]! - frameMs) : [];
      out.push({
        payloadRate: image.payload.length / (ms / 1000),
        line: w ? (100 * w.compressedBytes) / (lineRate * ((w.endedAt - w.firstSentAt) / 1000)) : NaN,
        lineData: w ? (100 * w.compressedBytes) / (lineRate * ((w.lastAckAt - w.firstSentAt) / 1000)) : NaN,
        turnaround: turn.length ? median(turn) : NaN,
        finish: w ? w.endedAt - w.lastAckAt : NaN,
        beyondLine: trips.length ? median(trips) : NaN,
        compressed: w?.compressedBytes ?? 0,
        used: image.payload.length,
      });
    }
  } finally {
    await session.close();
    await sim.stop();
    temp.cleanup();
  }
  return out;
}

async function stationRounds(): Promise<{ station: number[]; direct: number[] }> {
  const stationMs: number[] = [];
  const directMs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const temp = makeTempDir('lineside-bench-esp32-');
    const sim = await spawnSim(temp.dir);
    const station = createTestStation();
    try {
      station.orders.createOrder({ profile: 'ioto-esp32', quantity: 1, orderId: `WO-B${i}` });
      await station.orders.reserveRemaining(`WO-B${i}`);
      await station.services.configureStation({ slotCount: 1, ports: { '1': sim.path } });
      const { ms, value } = await timeAsync(async () =>
        station.services.startUnit({ slot: 1, orderId: `WO-B${i}`, wait: true }),
      );
      if (value.status !== 'pass')
        throw new Error(`bench unit failed: ${value.failure?.message} ${value.failure?.detail}`);
      stationMs.push(ms);
      // The same device work without the station: open, write, verify, reset.
      const direct = await timeAsync(async () => {
        const session = await openEsp32Session({ path: sim.path, settings: settings() });
        const files = unitFiles('DIRECT0000');
        await session.writeFiles(files);
        await session.verifyFiles(files);
        await session.commit();
        await session.close();
      });
      directMs.push(direct.ms);
    } finally {
      station.cleanup();
      await sim.stop();
      temp.cleanup();
    }
  }
  return { station: stationMs, direct: directMs };
}

function writerRounds() {
  const state = settings().esp32!.stateFiles;
  const files = [...state, ...unitFiles('WRITER0000')];
  const geometry = espGeometry(0x400000);
  const mbps: number[] = [];
  const cpu: number[] = [];
  const copy: number[] = [];
  // A round is long enough (about 25 ms of work on an idle core) that one descheduling on a loaded
  // machine does not decide it; both sides warm up alike, as a station that builds every unit's image.
  const reps = 500;
  const copyInto = (used: number) => {
    const out = Buffer.alloc(used, 0xff);
    let at = 0;
    for (const f of files) {
      out.set(f.content, at);
      at += f.content.length;
    }
    return out;
  };
  let used = 0;
  for (let r = 0; r < 200; r++) used = buildLittleFs(files, geometry).usedBytes;
  for (let r = 0; r < 200; r++) copyInto(used);
  for (let i = 0; i < ROUNDS; i++) {
    const before = process.cpuUsage();
    const built = timeIt(() => {
      for (let r = 0; r < reps; r++) used = buildLittleFs(files, geometry).usedBytes;
    });
    const spent = process.cpuUsage(before);
    mbps.push((used * reps) / 1e6 / (built.ms / 1000));
    cpu.push((used * reps) / 1e6 / ((spent.user + spent.system) / 1e6));
    const copied = timeIt(() => {
      for (let r = 0; r < reps; r++) copyInto(used);
    });
    copy.push((used * reps) / 1e6 / (copied.ms / 1000));
  }
  return { mbps, cpu, copy, used };
}

const fmt1 = (xs: number[]) => medianAndSpread(xs, 1);

function lineFigures(name: string, title: string, piped: WriteSample[], viaEsptool: WriteSample[]) {
  figure({
    name,
    title,
    samples: piped.map((s) => s.line),
    unit: '%',
    higherIsBetter: true,
    baseline: {
      samples: viaEsptool.map((s) => s.line),
      what: "the same blocks through esptool-js's flashDeflBlock",
    },
    goal: [{ on: 'value', op: '>=', target: 90 }],
    note: `up to the last acknowledgement ${fmt1(piped.map((s) => s.lineData))} %; host turnaround per block ${fmt1(piped.map((s) => s.turnaround))} ms; a block's send-to-acknowledgement beyond its line time ${fmt1(piped.map((s) => s.beyondLine))} ms (the stub busy with the block before, and the pty relay); stub finishing after the last acknowledgement ${fmt1(piped.map((s) => s.finish))} ms`,
  });
}

export async function run(): Promise<void> {
  const compressed = await writeRounds('pipelined');
  const viaEsptool = await writeRounds('esptool-js');
  const plain = await writeRounds('plain');
  const site: DeviceFile[] = Array.from({ length: 8 }, (_, i) => ({
    path: `site/assets/img${i}.webp`,
    content: crypto.randomBytes(64 * 1024),
    mode: 0o644,
  }));
  const bigCompressed = await writeRounds('pipelined', site);
  const bigViaEsptool = await writeRounds('esptool-js', site);
  const bigPlain = await writeRounds('plain', site);
  const units = await stationRounds();
  const writer = writerRounds();
  section('esp32');
  figure({
    name: 'esp32.image.rate',
    title: `state image (${compressed[0]!.used} bytes used, ${compressed[0]!.compressed} compressed) written + MD5 at ${BAUD} into a 4 MB partition`,
    samples: compressed.map((s) => s.payloadRate / 1000),
    unit: 'kB/s',
    baseline: { samples: plain.map((s) => s.payloadRate / 1000), what: 'the same image uncompressed' },
    higherIsBetter: true,
  });
  lineFigures(
    'esp32.image.line',
    'line efficiency of the compressed bytes over the write phase (esptool publishes ~64 % at 921600)',
    compressed,
    viaEsptool,
  );
  figure({
    name: 'esp32.site.rate',
    title: `with a 512 KiB site (${bigCompressed[0]!.used} bytes used, ${bigCompressed[0]!.compressed} compressed)`,
    samples: bigCompressed.map((s) => s.payloadRate / 1000),
    unit: 'kB/s',
    baseline: { samples: bigPlain.map((s) => s.payloadRate / 1000), what: 'the same image uncompressed' },
    higherIsBetter: true,
  });
  lineFigures(
    'esp32.site.line',
    'line efficiency over the write phase, with the site',
    bigCompressed,
    bigViaEsptool,
  );
  figure({
    name: 'esp32.unit',
    title: 'whole unit through the station, connect to PASS',
    samples: units.station.map((m) => m / 1000),
    unit: 's',
    baseline: { samples: units.direct.map((m) => m / 1000), what: 'the same session steps called directly' },
    higherIsBetter: false,
  });
  figure({
    name: 'esp32.littlefs.writer',
    title: `LittleFS writer, small state tree (${writer.used} bytes of image)`,
    samples: writer.mbps,
    note: `per CPU-second (process.cpuUsage, all threads) ${medianAndSpread(writer.cpu, 0)} MB/s`,
    unit: 'MB/s',
    baseline: { samples: writer.copy, what: "copying the same file bytes into a buffer of the image's size" },
    higherIsBetter: true,
    goal: [{ on: 'value', op: '>=', target: 50 }],
  });
}
