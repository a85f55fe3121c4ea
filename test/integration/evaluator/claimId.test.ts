import jsQR from 'jsqr';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClaimIdReport, JobReport } from '../../../electron/shared/contract';
import { agentConsoleLines, startDevBoard } from '../../support/devBoard';
import { createPtyPair, type PtyPair } from '../../support/ptyPair';
import { createTestStation, type TestStation } from '../../support/station';
import { svgToPixels } from '../../support/svgQr';

let pty: PtyPair | null = null;
let station: TestStation | null = null;
afterEach(async () => {
  station?.cleanup();
  await pty?.stop();
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
});
