import fs from 'node:fs';
import path from 'node:path';
import jsQR from 'jsqr';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClaimIdReport, JobReport } from '../../../electron/shared/contract';
import { agentConsoleLines, startDevBoard } from '../../support/devBoard';
import { createPtyPair, type PtyPair } from '../../support/ptyPair';
import { createTestStation, type TestStation } from '../../support/station';
import { svgToPixels } from '../../support/svgQr';
import { startSimulator } from '../../support/deviceSim';
import { makeTempDir } from '../../support/tempDir';

let pty: PtyPair | null = null;
let station: TestStation | null = null;
afterEach(async () => {
  station?.cleanup();
  station = null;
  await pty?.stop();
  pty = null;
});

describe("evaluator: a dev board's claim ID from its console", () => {
  it('finds the claim ID a simulated board prints over a pty and shows it with its QR code', async () => {
    pty = await createPtyPair();
    station = createTestStation();
    const started = await station.dispatch('watchClaimId', { path: pty.a, timeoutMs: 15_000 });
    if (!started.ok) throw new Error(started.error.message);
    const board = startDevBoard({ path: pty.b!, lines: agentConsoleLines('M72DANY8BZ'), repeat: true });
    const job = (await station.jobs.wait((started.value as { jobId: string }).jobId)) as JobReport;
    board.stop();
    expect(job.state).toBe('done');
    const card = job.result as ClaimIdReport;
    expect(card.claimId).toBe('M72DANY8BZ');
    expect(card.line).toBe('ioto: Info: Device Claim ID: M72DANY8BZ');
    expect(card.claimUrl).toBe('https://admin.embedthis.com/claim?id=M72DANY8BZ');
    const { data, width, height } = svgToPixels(card.qrSvg, 8);
    expect(jsQR(data, width, height)?.data).toBe('M72DANY8BZ');
  });

  it('ends in a clear timeout when the board never prints its claim ID', async () => {
    pty = await createPtyPair();
    station = createTestStation();
    const board = startDevBoard({ path: pty.b!, lines: ['ioto: Info: Starting Ioto 3.0.2'], repeat: true });
    const started = await station.dispatch('watchClaimId', { path: pty.a, timeoutMs: 800 });
    if (!started.ok) throw new Error(started.error.message);
    const job = await station.jobs.wait((started.value as { jobId: string }).jobId);
    board.stop();
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('device-timeout');
    expect(job.error?.message).toMatch(/^No "Device Claim ID" line on .* within 1 s/);
  });

  it('asks a quiet board that the user says speaks the framed protocol for the id in its device.json5', async () => {
    const temp = makeTempDir('lineside-sim-');
    // The unit boots blank (its banner has no claim ID), then gets its identity: only asking finds it.
    const sim = await startSimulator({ dir: temp.dir, baud: 921600 });
    fs.mkdirSync(path.join(temp.dir, 'config'));
    fs.writeFileSync(
      path.join(temp.dir, 'config', 'device.json5'),
      "{\n  product: 'P1',\n  id: 'KX4M9T2B7Q',\n}\n",
    );
    try {
      station = createTestStation();
      const started = await station.dispatch('watchClaimId', {
        path: sim.path,
        timeoutMs: 15_000,
        askAfterMs: 500,
        framed: true,
      });
      if (!started.ok) throw new Error(started.error.message);
      const job = (await station.jobs.wait((started.value as { jobId: string }).jobId)) as JobReport;
      expect(job.error).toBeNull();
      const card = job.result as ClaimIdReport;
      expect(card.claimId).toBe('KX4M9T2B7Q');
      expect(card.line).toContain('framed protocol');
      expect(sim.stats.framesReceived).toBeGreaterThanOrEqual(2);
    } finally {
      await sim.stop();
      temp.cleanup();
    }
  });

  it('goes back to the console when a quiet board does not speak the framed protocol either', async () => {
    pty = await createPtyPair();
    station = createTestStation();
    // Says nothing for a while (so it is asked, and ignores the frames), then prints its line.
    const board = startDevBoard({
      path: pty.b!,
      lines: [...Array.from({ length: 30 }, () => ''), ...agentConsoleLines('M72DANY8BZ')],
      intervalMs: 100,
      repeat: true,
    });
    const started = await station.dispatch('watchClaimId', {
      path: pty.a,
      timeoutMs: 15_000,
      askAfterMs: 300,
      framed: true,
    });
    if (!started.ok) throw new Error(started.error.message);
    const job = (await station.jobs.wait((started.value as { jobId: string }).jobId)) as JobReport;
    board.stop();
    expect(job.error).toBeNull();
    expect((job.result as ClaimIdReport).line).toBe('ioto: Info: Device Claim ID: M72DANY8BZ');
  });
});
