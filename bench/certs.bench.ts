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
import { figure, runs, scale, section, timeAsync, timeIt } from './harness';

const PASS = 'bench passphrase';
const ROUNDS = runs();

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

async function measure(type: CertKeyType, label: string, n: number): Promise<void> {
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
    const one: number[] = [];
    const four: number[] = [];
    const openssl: number[] = [];
    let next = 0;
    const rate = (ms: number) => (perRound * 1000) / ms;
    // The pool is what the line uses: its keys are made ahead, so these figures include it. Each
    // round starts with the pool drained (a fresh services handle would refill it: take what is ready).
    for (let round = 0; round < ROUNDS; round++) {
      one.push(
        rate(
          (
            await timeAsync(async () => {
              for (let i = 0; i < perRound; i++) await certs.issueWithHostKey(ids[next++]!, policy);
            })
          ).ms,
        ),
      );
      let left = perRound;
      const worker = async () => {
        while (left-- > 0) await certs.issueWithHostKey(ids[next++]!, policy);
      };
      four.push(rate((await timeAsync(() => Promise.all([worker(), worker(), worker(), worker()]))).ms));
      openssl.push(
        rate(
          timeIt(() => {
            for (let i = 0; i < perRound; i++)
              opensslOnce(temp.dir, type, `O${round}x${i}`, path.join(temp.dir, 'ca'));
          }).ms,
        ),
      );
    }
    for (const [name, samples] of [
      ['one', one],
      ['four', four],
    ] as const)
      figure({
        name: `certs.${type}.${name === 'one' ? 'one-at-a-time' : '4-in-flight'}`,
        title: `${label} host-key certificates (key from the pool + signing + record), ${name === 'one' ? 'one at a time' : '4 in flight'}, ${perRound} per run`,
        samples,
        unit: 'certs/s',
        baseline: { samples: openssl, what: 'openssl req -x509 -newkey -CA loop' },
        higherIsBetter: true,
        goal: [{ on: 'ratio', op: '>=', target: 1 }],
        note: `key pool ${JSON.stringify(certs.keys.stats)}`,
      });
  } finally {
    handle?.close();
    temp.cleanup();
  }
}

export async function run(): Promise<void> {
  section(`certs: device certificates per second, ${ROUNDS} runs`);
  await measure('rsa2048', 'RSA-2048', Math.max(ROUNDS, Math.round(100 * scale())));
  await measure('ec-p256', 'EC P-256', Math.max(ROUNDS, Math.round(400 * scale())));
}
