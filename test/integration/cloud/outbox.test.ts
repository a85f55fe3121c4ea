import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { outboxCounts } from '../../../electron/core/cloud/outbox';
import { repoRoot } from '../../support/cli';
import { claimIds, createCloudStation, registration } from '../../support/cloudStation';
import { startStandinCloud, type StandinCloud } from '../../support/standinCloud';
import { makeTempDir } from '../../support/tempDir';
import type { TestStation } from '../../support/station';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function standin(options: Parameters<typeof startStandinCloud>[0] = {}): Promise<StandinCloud> {
  const cloud = await startStandinCloud(options);
  cleanups.push(() => cloud.stop());
  return cloud;
}

function station(options: Parameters<typeof createCloudStation>[0] = {}) {
  const s = createCloudStation(options);
  cleanups.push(() => s.cleanup());
  return s;
}

/** Waits until the sender has looked for work `n` more times: nothing it would do is still to come. */
async function looks(s: TestStation, n: number) {
  const from = s.cloud.sender.passes();
  await expect.poll(() => s.cloud.sender.passes(), { timeout: 10_000 }).toBeGreaterThanOrEqual(from + n);
}

/** Lets the wake-ups that an enqueue scheduled (setImmediate) run. */
async function turns(n = 3) {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

function states(s: TestStation) {
  return s.store.db.prepare('SELECT claim_id, state, attempts FROM cloud_outbox ORDER BY claim_id').all() as {
    claim_id: string;
    state: string;
    attempts: number;
  }[];
}

describe('the registration outbox', () => {
  it('keeps queuing while the cloud is down, then drains with every unit registered exactly once', async () => {
    const cloud = await standin();
    const url = cloud.url;
    await cloud.stop(); // the factory's internet is down
    const s = station();
    s.cloud.resume();
    const ids = claimIds(60);
    for (const id of ids) s.store.transaction(() => s.cloud.enqueue(registration(s, id, url)));
    // Enqueueing the same unit again (a re-verify) does not queue it twice.
    expect(s.cloud.enqueue(registration(s, ids[0]!, url))).toBe(false);
    await expect.poll(() => s.cloud.status().failures.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(outboxCounts(s.store)).toMatchObject({ registered: 0 });
    const waiting = s.cloud.status().failures;
    expect(waiting[0]).toMatchObject({
      kind: 'waiting',
      reason: expect.stringMatching(/refused the connection/),
    });

    await cloud.start(); // back online, same address
    await s.cloud.sender.drained();
    expect(outboxCounts(s.store)).toEqual({
      pending: 0,
      sending: 0,
      registered: 60,
      claimed: 0,
      rejected: 0,
    });
    expect(cloud.devices.size).toBe(60);
    for (const id of ids) expect(cloud.calls.get(id), id).toBe(1);
    expect(cloud.duplicates()).toEqual([]);
  });

  it('a verification that rolls back takes its queued registration with it, unsent', async () => {
    const cloud = await standin();
    const s = station();
    s.cloud.resume();
    expect(() =>
      s.store.transaction(() => {
        s.cloud.enqueue(registration(s, 'R000000001', cloud.url));
        throw new Error('verify failed after queueing');
      }),
    ).toThrow(/verify failed/);
    await turns();
    await looks(s, 1);
    expect(states(s)).toEqual([]);
    expect(cloud.calls.size).toBe(0);
  });

  it('pause stops sending and survives a restart; resume drains', async () => {
    const cloud = await standin();
    const temp = makeTempDir();
    cleanups.push(temp.cleanup);
    const first = createCloudStation({ dataDir: temp.dir, cloud: { autoStart: true } });
    first.cloud.pause();
    const looked = first.cloud.sender.passes();
    for (const id of claimIds(5, 'P')) first.cloud.enqueue(registration(first, id, cloud.url));
    // A paused sender claims nothing when woken: the claim would be synchronous, so the wake-ups'
    // turn is enough to see it (the rows would be 'sending', and the cloud called).
    await turns();
    expect(first.cloud.sender.passes()).toBe(looked);
    expect(states(first).map((r) => r.state)).toEqual(Array(5).fill('pending'));
    expect(cloud.calls.size).toBe(0);
    first.close();
    const again = station({ dataDir: temp.dir, cloud: { autoStart: true } });
    await turns();
    expect(again.cloud.sender.isRunning()).toBe(false);
    expect(again.cloud.status()).toMatchObject({ running: false, counts: { pending: 5 } });
    again.cloud.resume();
    await again.cloud.sender.drained();
    expect(again.cloud.status().counts.registered).toBe(5);
  });

  it('leaves rows another live sender holds, and takes back rows whose sender is gone', async () => {
    const cloud = await standin();
    const s = station();
    for (const id of ['H000000001', 'H000000002', 'H000000003'])
      s.cloud.enqueue(registration(s, id, cloud.url));
    const set = s.store.db.prepare(
      "UPDATE cloud_outbox SET state = 'sending', attempts = 1, owner_pid = ?, lease_until = ? WHERE claim_id = ?",
    );
    const future = new Date(Date.now() + 60_000).toISOString();
    const past = new Date(Date.now() - 1000).toISOString();
    set.run(process.ppid, future, 'H000000001'); // a live process (our parent) holds it, lease running
    set.run(process.pid, past, 'H000000002'); // our own pid, not held by us: a dead process's pid reused
    set.run(2 ** 22 + 12345, future, 'H000000003'); // a pid no process has
    s.cloud.resume();
    await expect
      .poll(() => states(s).filter((r) => r.state === 'registered').length, { timeout: 10_000 })
      .toBe(2);
    await looks(s, 2); // H000000001 stays another's for more than one look
    expect(states(s).map((r) => r.state)).toEqual(['sending', 'registered', 'registered']);
    expect(cloud.calls.has('H000000001')).toBe(false);
    const doubts = s.store.db.prepare(
      "SELECT claim_id FROM events WHERE kind = 'cloud.in-doubt' ORDER BY claim_id",
    );
    expect(doubts.pluck().all()).toEqual(['H000000002', 'H000000003']);
  });

  it('bounds the requests in flight to the configured concurrency', async () => {
    const cloud = await standin({ latencyMs: 30 });
    const s = station({ cloud: { concurrency: 4 } });
    for (const id of claimIds(40, 'K')) s.cloud.enqueue(registration(s, id, cloud.url));
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, s.cloud.sender.inFlight())), 2);
    s.cloud.resume();
    await s.cloud.sender.drained();
    clearInterval(watch);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
    // The cloud agrees: it never held more than 4 requests at once.
    expect(cloud.peakConcurrent).toBeGreaterThan(1);
    expect(cloud.peakConcurrent).toBeLessThanOrEqual(4);
    expect(cloud.requests).toHaveLength(40);
  });

  it('a sender killed with SIGKILL mid-drain and restarted: still exactly once per unit at the cloud', async () => {
    const cloud = await standin({ latencyMs: 15 });
    const temp = makeTempDir();
    cleanups.push(temp.cleanup);
    const seed = createCloudStation({ dataDir: temp.dir });
    const ids = claimIds(300, 'S');
    seed.store.transaction(() => {
      for (const id of ids) seed.cloud.enqueue(registration(seed, id, cloud.url));
    });
    seed.close();

    const spawnSender = () => {
      const child: ChildProcess = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(repoRoot, 'test/support/children/outboxSender.ts'), temp.dir],
        { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      cleanups.push(() => void (child.exitCode === null && child.kill('SIGKILL')));
      let err = '';
      child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      return { child, exited, stderr: () => err };
    };

    const first = spawnSender();
    await new Promise<void>((resolve, reject) => {
      first.child.stdout!.on('data', (c: Buffer) => {
        const n = Math.max(...[...c.toString().matchAll(/answered (\d+)/g)].map((m) => Number(m[1])));
        if (n >= 100) resolve();
      });
      void first.exited.then(() => reject(new Error(`sender exited early: ${first.stderr()}`)));
    });
    first.child.kill('SIGKILL');
    await first.exited;

    // What the crash left: rows claimed by the dead sender, whose answers may or may not have come.
    const inspect = createCloudStation({ dataDir: temp.dir });
    const inDoubt = inspect.store.db
      .prepare("SELECT claim_id FROM cloud_outbox WHERE state = 'sending'")
      .pluck()
      .all() as string[];
    const answeredBefore = outboxCounts(inspect.store);
    inspect.close();
    expect(answeredBefore.registered).toBeGreaterThanOrEqual(100);
    expect(answeredBefore.registered).toBeLessThan(300);
    // In doubt: what the sender had claimed: in flight or answered but not yet written (8 at most)
    // and the next batch, claimed but not yet sent (16).
    expect(inDoubt.length).toBeLessThanOrEqual(3 * 8);

    const second = spawnSender();
    expect(await second.exited, second.stderr()).toBe(0);

    const after = createCloudStation({ dataDir: temp.dir });
    cleanups.push(() => after.cleanup());
    expect(outboxCounts(after.store)).toEqual({
      pending: 0,
      sending: 0,
      registered: 300,
      claimed: 0,
      rejected: 0,
    });
    // Every unit exists once at the cloud and was answered "registered"...
    expect(cloud.devices.size).toBe(300);
    for (const id of ids) expect(cloud.registrations.get(id), id).toBeGreaterThanOrEqual(1);
    // ...and the only units sent twice are ones in flight when the sender died (the contract
    // allows registering a unit again), each at most twice, each recorded in its history.
    const repeated = cloud.duplicates();
    expect(repeated.every((id) => inDoubt.includes(id))).toBe(true);
    for (const id of repeated) expect(cloud.calls.get(id)).toBe(2);
    for (const id of ids.filter((i) => !inDoubt.includes(i))) expect(cloud.calls.get(id), id).toBe(1);
    const doubtEvents = after.store.db
      .prepare("SELECT claim_id FROM events WHERE kind = 'cloud.in-doubt' ORDER BY claim_id")
      .pluck()
      .all();
    expect(doubtEvents).toEqual([...inDoubt].sort());
    expect(states(after).every((r) => r.state === 'registered')).toBe(true);
  });
});
