/**
 * ESP32 units against the ROM bootloader simulator (UART pacing at the current baud, erase time per
 * 4 KiB sector), in one run, median and spread of 5 rounds each:
 * - a real unit's state image (the shipped ioto-esp32 state folder + device.json5 + certificate and
 *   key) written compressed + MD5-verified into a 4 MB partition at 921600: the effective payload
 *   rate (uncompressed image bytes per second) against the same image written uncompressed (the
 *   baseline), and the line efficiency of the compressed bytes while writing (goal >= 90 % of the
 *   line rate, baud/10; esptool's published figure is about 64 % at 921600);
 * - the whole unit through the station, connect to PASS, against the same session steps called
 *   directly (the station's own overhead);
 * - the LittleFS writer on the same small state tree (goal >= 50 MB/s of image) against copying the
 *   same file bytes into a buffer of the image's size.
 * The line efficiency is given twice: for the example state image (a few KiB compressed, one block:
 * the reply latency of a single block dominates) and for the same state with a 512 KiB web site of
 * already-compressed assets (many 16 KiB blocks, the case esptool's figure describes).
 */
import crypto from 'node:crypto';
import { buildUnitImage } from '../electron/core/esp32/image';
import { esp32Settings } from '../electron/core/esp32/profile';
import { buildLittleFs, espGeometry } from '../electron/core/littlefs';
import { openEsp32Session } from '../electron/core/transport/esp32';
import type { DeviceFile, TransportSettings } from '../electron/core/transport/types';
import { spawn } from 'node:child_process';
import { createTestStation, factoryProfilesDir } from '../test/support/station';
import { makeTempDir } from '../test/support/tempDir';
import { figure, runs, section, timeAsync, timeIt } from './harness';

const BAUD = 921600;
const ERASE_MS = 30;
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
  lineEfficiency: number;
  compressed: number;
  used: number;
}

async function writeRounds(compress: boolean, extra: DeviceFile[] = []): Promise<WriteSample[]> {
  const temp = makeTempDir('lineside-bench-esp32-');
  const sim = await spawnSim(temp.dir);
  const session = await openEsp32Session({ path: sim.path, settings: settings() });
  const out: WriteSample[] = [];
  try {
    // The uncompressed baseline goes through the same loader and the same paced line.
    for (let i = 0; i < ROUNDS; i++) {
      const files = [...unitFiles(`BENCH${String(i).padStart(5, '0')}`), ...extra];
      const image = buildUnitImage(settings().esp32!.stateFiles, files, 0x400000);
      let firstWrite = 0;
      let lastWrite = 0;
      let compressed = 0;
      const { ms } = await timeAsync(async () => {
        if (compress) {
          await session.writeFiles(files, {
            onProgress: (p) => {
              if (p.stage !== 'write') return;
              if (p.bytesDone === 0) firstWrite = performance.now();
              lastWrite = performance.now();
              compressed = p.bytesTotal;
            },
          });
        } else await session.writeImage(image.payload, { compress: false });
        const ok = await session.verifyFiles(files);
        if (!ok.every((r) => r.ok)) throw new Error('bench image did not verify');
      });
      out.push({
        payloadRate: image.payload.length / (ms / 1000),
        lineEfficiency: compress ? compressed / (((lastWrite - firstWrite) / 1000) * (BAUD / 10)) : NaN,
        compressed,
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
  const copy: number[] = [];
  const reps = 50;
  buildLittleFs(files, geometry); // warm up
  for (let i = 0; i < ROUNDS; i++) {
    let used = 0;
    const built = timeIt(() => {
      for (let r = 0; r < reps; r++) used = buildLittleFs(files, geometry).usedBytes;
    });
    mbps.push((used * reps) / 1e6 / (built.ms / 1000));
    const copied = timeIt(() => {
      for (let r = 0; r < reps; r++) {
        const out = Buffer.alloc(used, 0xff);
        let at = 0;
        for (const f of files) {
          out.set(f.content, at);
          at += f.content.length;
        }
      }
    });
    copy.push((used * reps) / 1e6 / (copied.ms / 1000));
  }
  return { mbps, copy };
}

export async function run(): Promise<void> {
  const compressed = await writeRounds(true);
  const plain = await writeRounds(false);
  const rate = compressed.map((s) => s.payloadRate / 1000);
  const plainRate = plain.map((s) => s.payloadRate / 1000);
  const eff = compressed.map((s) => s.lineEfficiency * 100);
  const site: DeviceFile[] = Array.from({ length: 8 }, (_, i) => ({
    path: `site/assets/img${i}.webp`,
    content: crypto.randomBytes(64 * 1024),
    mode: 0o644,
  }));
  const bigCompressed = await writeRounds(true, site);
  const bigPlain = await writeRounds(false, site);
  const bigRate = bigCompressed.map((s) => s.payloadRate / 1000);
  const bigPlainRate = bigPlain.map((s) => s.payloadRate / 1000);
  const bigEff = bigCompressed.map((s) => s.lineEfficiency * 100);
  const units = await stationRounds();
  const writer = writerRounds();
  section('esp32');
  figure({
    name: 'esp32.image.rate',
    title: `state image (${compressed[0]!.used} bytes used, ${compressed[0]!.compressed} compressed) written + MD5 at ${BAUD} into a 4 MB partition`,
    samples: rate,
    unit: 'kB/s',
    baseline: { samples: plainRate, what: 'the same image uncompressed' },
    higherIsBetter: true,
  });
  figure({
    name: 'esp32.image.line',
    title: 'line efficiency of the compressed bytes while writing (esptool publishes ~64 % at 921600)',
    samples: eff,
    unit: '%',
    higherIsBetter: true,
    goal: [{ on: 'value', op: '>=', target: 90 }],
  });
  figure({
    name: 'esp32.site.rate',
    title: `with a 512 KiB site (${bigCompressed[0]!.used} bytes used, ${bigCompressed[0]!.compressed} compressed)`,
    samples: bigRate,
    unit: 'kB/s',
    baseline: { samples: bigPlainRate, what: 'the same image uncompressed' },
    higherIsBetter: true,
  });
  figure({
    name: 'esp32.site.line',
    title: 'line efficiency while writing, with the site',
    samples: bigEff,
    unit: '%',
    higherIsBetter: true,
    goal: [{ on: 'value', op: '>=', target: 90 }],
  });
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
    title: 'LittleFS writer, small state tree',
    samples: writer.mbps,
    unit: 'MB/s',
    baseline: { samples: writer.copy, what: "copying the same file bytes into a buffer of the image's size" },
    higherIsBetter: true,
    goal: [{ on: 'value', op: '>=', target: 50 }],
  });
}
