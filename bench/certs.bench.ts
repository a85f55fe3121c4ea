/**
 * Device certificates issued per second (key generation + signing + the store record), for
 * RSA-2048 and EC P-256, against an `openssl req -x509 -newkey ... -CA` loop of the same key type
 * with the same CA, in the same run. The machine is shared and noisy, so the three loops run
 * interleaved in rounds: load swings hit all of them alike. Goal: at least the openssl rate.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { CertKeyType } from '../electron/shared/contract';
import { systemClock } from '../electron/core/clock';
import { createServices, type ServicesHandle } from '../electron/core/services';
import { seedUnits } from '../test/support/station';
import { makeTempDir } from '../test/support/tempDir';
import { report, scale, timeAsync, timeIt, type BenchLine } from './harness';

const PASS = 'bench passphrase';
const ROUNDS = 5;

function opensslOnce(dir: string, type: CertKeyType, cn: string, caDir: string): void {
  const newkey =
    type === 'ec-p256' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
  const run = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      ...newkey,
      '-nodes',
      '-keyout',
      path.join(dir, 'k.pem'),
      '-subj',
      `/O=Bench/CN=${cn}`,
      '-CA',
      path.join(caDir, 'ca.crt'),
      '-CAkey',
      path.join(caDir, 'ca.key'),
      '-passin',
      `pass:${PASS}`,
      '-days',
      '365',
      '-addext',
      'keyUsage=critical,digitalSignature',
      '-addext',
      'extendedKeyUsage=clientAuth',
      '-out',
      path.join(dir, 'c.pem'),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (run.status !== 0) throw new Error(`openssl failed: ${run.stderr.toString()}`);
}

async function measure(type: CertKeyType, label: string, n: number): Promise<BenchLine[]> {
  const temp = makeTempDir('lineside-bench-certs-');
  let handle: ServicesHandle | null = null;
  try {
    handle = createServices({
      dataDir: temp.dir,
      clock: systemClock,
      runtime: { transport: 'cli', appVersion: 'bench', electronVersion: null, chromeVersion: null },
    });
    const certs = handle.certs;
    const ids = Array.from({ length: 2 * n }, (_, i) => `B${String(i).padStart(9, '0')}`);
    seedUnits(handle, ids);
    await certs.ca.create({
      commonName: `Bench CA ${type}`,
      keyType: type,
      validityDays: 365,
      passphrase: PASS,
    });
    const policy = {
      keyType: type,
      keySource: 'host' as const,
      validityDays: 365,
      subject: { O: 'Bench' },
      escrow: false,
    };
    const perRound = Math.max(1, Math.round(n / ROUNDS));
    const ms = { one: 0, four: 0, openssl: 0 };
    let next = 0;
    let done = 0;
    for (let round = 0; round < ROUNDS; round++) {
      ms.one += (
        await timeAsync(async () => {
          for (let i = 0; i < perRound; i++) await certs.issueWithHostKey(ids[next++]!, policy);
        })
      ).ms;
      let left = perRound;
      const worker = async () => {
        while (left-- > 0) await certs.issueWithHostKey(ids[next++]!, policy);
      };
      ms.four += (await timeAsync(() => Promise.all([worker(), worker(), worker(), worker()]))).ms;
      ms.openssl += timeIt(() => {
        for (let i = 0; i < perRound; i++)
          opensslOnce(temp.dir, type, `O${round}x${i}`, path.join(temp.dir, 'ca'));
      }).ms;
      done += perRound;
    }
    const rate = (t: number) => (done * 1000) / t;
    const baseline = rate(ms.openssl);
    return [
      [`${label}, one at a time`, rate(ms.one)],
      [`${label}, 4 in flight`, rate(ms.four)],
    ].map(([name, r]) => ({
      name: `${name as string} (${done} certs)`,
      value: `${(r as number).toFixed(1)} certs/s`,
      baseline: `openssl req -x509 -CA loop ${baseline.toFixed(1)} certs/s`,
      ratio: (r as number) / baseline,
      goal: '>= openssl rate',
      met: (r as number) >= baseline,
    }));
  } finally {
    handle?.close();
    temp.cleanup();
  }
}

export async function run(): Promise<void> {
  const lines = [
    ...(await measure('rsa2048', 'RSA-2048', Math.max(ROUNDS, Math.round(100 * scale())))),
    ...(await measure('ec-p256', 'EC P-256', Math.max(ROUNDS, Math.round(400 * scale())))),
  ];
  report('Device certificates per second (key generation + signing + record)', lines);
}
