import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ensureOrder } from '../../support/station';
import { repoRoot, runCli } from '../../support/cli';
import { claimIds, createCloudStation, registration } from '../../support/cloudStation';
import { STANDIN_PRODUCT, startStandinCloud, type StandinCloud } from '../../support/standinCloud';
import { waitUntil } from '../../support/openFiles';
import { makeTempDir } from '../../support/tempDir';

let cloud: StandinCloud;
let temp: { dir: string; cleanup: () => void };
let productRef: string;
const outputs: string[] = [];

beforeAll(async () => {
  cloud = await startStandinCloud();
  temp = makeTempDir();
  const s = createCloudStation({ dataDir: temp.dir });
  productRef = s.productRef;
  const wrong = s.secrets.put('product:Old token', '01H4R15D3478JD26YDYK40OLD0').ref;
  for (const id of claimIds(6, 'L')) s.cloud.enqueue(registration(s, id, cloud.url));
  const bad = registration(s, 'LBAD000001', cloud.url);
  const { product: _p, ...body } = bad.body;
  s.cloud.enqueue({ ...bad, body, productRef: wrong });
  ensureOrder(s, 'WO-SER', 1, '2026-11-21T09:00:00.000Z');
  s.store.units.insertMany([
    { claimId: 'LSER000001', orderId: 'WO-SER', state: 'reserved', at: '2026-11-21T09:00:00.000Z' },
  ]);
  s.close();
});
afterAll(async () => {
  await cloud.stop();
  temp.cleanup();
});

async function cli(args: string[]) {
  const r = await runCli([...args, '--data-dir', temp.dir]);
  outputs.push(r.stdout, r.stderr);
  return r;
}

describe('lineside cloud and serialize commands', () => {
  it('status shows the queue; push drains it; a rejected unit makes push exit 1 with its reason', async () => {
    const before = await cli(['cloud', 'status', '--json']);
    expect(JSON.parse(before.stdout)).toMatchObject({ ok: true, value: { counts: { pending: 7 } } });
    const push = await cli(['cloud', 'push', '--wait', '30']);
    expect(push.stdout).toContain('6 registered, 0 claimed, 1 rejected');
    expect(push.stdout).toMatch(/LBAD000001\trejected\t401\tThe builder refused the product token/);
    expect(push.code).toBe(1);
    expect(cloud.devices.size).toBe(6);
  });

  it('report prints the reconciliation and exports CSV and JSON', async () => {
    const human = await cli(['cloud', 'report', '--order', 'WO-CLOUD']);
    expect(human.stdout).toContain('Order WO-CLOUD: 6 registered, 0 claimed, 1 rejected, 0 pending');
    const file = path.join(temp.dir, 'report.csv');
    const csv = await cli(['cloud', 'report', '--order', 'WO-CLOUD', '--format', 'csv', '--out', file]);
    expect(csv.code).toBe(0);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('claimId,status,reason,httpStatus,attempts,queuedAt,answeredAt,builder,accountId');
    expect(lines).toHaveLength(8);
    expect(lines.find((l) => l.startsWith('LBAD000001'))).toMatch(/^LBAD000001,rejected,The builder refused/);
    outputs.push(fs.readFileSync(file, 'utf8'));
    const json = await cli(['cloud', 'report', '--order', 'WO-CLOUD', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      orderId: 'WO-CLOUD',
      counts: { registered: 6, rejected: 1 },
    });
    const missing = await cli(['cloud', 'report', '--order', 'NOPE']);
    expect(missing.code).toBe(4);
  });

  it('serialize serve answers an agent until Ctrl+C and prints each answer', async () => {
    const child = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'bin', 'lineside.js'),
        'serialize',
        'serve',
        '--order',
        'WO-SER',
        '--product-ref',
        productRef,
        '--port',
        '0',
        '--data-dir',
        temp.dir,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Whatever happens below, the service does not outlive the test.
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let out = '';
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /at (http:\S+) /.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(out)));
    });
    const answer = await new Promise<string>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ product: STANDIN_PRODUCT, name: 'Widget' }));
    });
    expect(JSON.parse(answer)).toEqual({ id: 'LSER000001' });
    // The access line is printed after the answer is sent: wait for it, not for a guessed 200 ms.
    await waitUntil(() => /127\.0\.0\.1 {2}200 {2}LSER000001/.test(out), 'the request is logged');
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    outputs.push(out);
    expect(code).toBe(0);
    expect(out).toMatch(/127\.0\.0\.1 {2}200 {2}LSER000001/);
  });

  it('never prints the product token', () => {
    expect(outputs.length).toBeGreaterThan(5);
    for (const text of outputs) expect(text).not.toContain(STANDIN_PRODUCT);
    for (const text of outputs) expect(text).not.toContain('01H4R15D3478JD26YDYK40OLD0');
  });
});
