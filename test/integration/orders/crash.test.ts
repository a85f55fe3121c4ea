import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const temps: (() => void)[] = [];
afterEach(() => temps.splice(0).forEach((c) => c()));

describe('reserving a large order', () => {
  it('survives SIGKILL mid-way: whole batches, each ID in one state, none twice, and it resumes', async () => {
    const temp = makeTempDir();
    temps.push(temp.cleanup);
    const quantity = 200_000;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(__dirname, '../../support/children/orderReserver.ts'),
        temp.dir,
        String(quantity),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let seen = 0;
    let finished = false;
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        if (text.includes('finished')) finished = true;
        const counts = [...text.matchAll(/reserved (\d+)/g)].map((m) => Number(m[1]));
        if (counts.length) seen = counts.at(-1)!;
        if (seen >= 20_000 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code} before the kill`)),
      );
    });
    await new Promise((r) => child.once('close', r));
    expect(finished).toBe(false);

    const station = createTestStation({ dataDir: temp.dir });
    try {
      const db = station.store.db;
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const order = station.orders.getOrder('WO-CRASH');
      const rows = db
        .prepare("SELECT count(*) FROM units WHERE order_id = 'WO-CRASH'")
        .pluck()
        .get() as number;
      // The order shows exactly what is in the store, in whole batches, and says it is unfinished.
      expect(order.reserved).toBe(rows);
      expect(rows).toBeGreaterThanOrEqual(seen);
      expect(rows).toBeLessThan(quantity);
      expect(rows % 5000).toBe(0);
      expect(order.state).toBe('reserving');
      expect(order.counts).toEqual({ reserved: rows });
      const distinct = db
        .prepare("SELECT count(DISTINCT claim_id) FROM units WHERE order_id = 'WO-CRASH'")
        .pluck()
        .get();
      expect(distinct).toBe(rows);
      const logged = db
        .prepare(
          "SELECT coalesce(sum(json_extract(data, '$.count')), 0) FROM events WHERE kind = 'order.ids-reserved'",
        )
        .pluck()
        .get();
      expect(logged).toBe(rows);

      // Resuming finishes the order without touching what was already reserved.
      const before = db
        .prepare("SELECT claim_id FROM units WHERE order_id = 'WO-CRASH' ORDER BY claim_id")
        .pluck()
        .all();
      const result = await station.dispatch('resumeReservation', { orderId: 'WO-CRASH' });
      expect(result.ok).toBe(true);
      const job = (result as { ok: true; value: { job: { jobId: string } } }).value.job;
      expect((await station.jobs.wait(job.jobId)).state).toBe('done');
      const done = station.orders.getOrder('WO-CRASH');
      expect(done).toMatchObject({ reserved: quantity, state: 'ready', counts: { reserved: quantity } });
      const kept = db
        .prepare('SELECT count(*) FROM units WHERE claim_id IN (SELECT value FROM json_each(?))')
        .pluck();
      expect(kept.get(JSON.stringify(before))).toBe(before.length);
    } finally {
      station.cleanup();
    }
  }, 120_000);
});
