/**
 * Issue 16: label rendering stays off the event loop. 1000 PNG labels of an order render in the
 * label worker (worker_threads) while the main thread's event-loop delay stays under 50 ms.
 */
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { renderPoolStats } from '../../../electron/core/labels/renderPool';
import { decodeQrPng } from '../../support/qrDecode';
import { createTestStation, seedUnits, type TestStation } from '../../support/station';
import { makeTempDir } from '../../support/tempDir';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ids = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    let id = 'W';
    for (let j = 0, v = i; j < 9; j++, v = Math.floor(v / 32)) id += ALPHABET[v % 32];
    return id;
  });

describe('label rendering in a worker', () => {
  let station: TestStation;
  afterEach(() => station?.cleanup());

  it('renders 1000 PNG labels with event-loop delay under 50 ms', async () => {
    station = createTestStation();
    const out = makeTempDir('lineside-worker-labels-');
    const claimIds = ids(1000);
    seedUnits(station, claimIds, 'verified', 'WO-W');
    await station.services.updateLabelSettings({
      template: 'claim-url-60x40',
      product: 'Acme',
      model: 'A-1',
    });
    // Warm the worker up (its start is not what is measured).
    await station.services.saveLabels({
      claimIds: [claimIds[0]!],
      format: 'png',
      dir: path.join(out.dir, 'warm'),
    });
    const before = renderPoolStats().rendered;

    // The same process doing nothing for a second, before and after: what the shared machine's
    // scheduler adds anyway (other test processes load it).
    const idleP99 = async () => {
      const idle = monitorEventLoopDelay({ resolution: 5 });
      idle.enable();
      await new Promise((r) => setTimeout(r, 1000));
      idle.disable();
      return idle.percentile(99);
    };
    const idleBefore = await idleP99();
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const saved = await station.services.saveLabels({ orderId: 'WO-W', format: 'png', dir: out.dir });
    delay.disable();
    const idle = Math.max(idleBefore, await idleP99());

    expect(saved.labels).toBe(1000);
    expect(fs.readdirSync(out.dir).filter((f) => f.endsWith('.png'))).toHaveLength(1000);
    // The worker did the rendering, not the main thread.
    expect(renderPoolStats().rendered - before).toBe(1000);
    // p99 of the event-loop delay while rendering, beyond what the idle process saw (on a quiet
    // machine the idle p99 is about the 5 ms resolution; on a loaded one, the scheduler's own delay).
    const lagMs = (delay.percentile(99) - idle) / 1e6;
    expect(
      lagMs,
      `p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms rendering, ${(idle / 1e6).toFixed(1)} ms idle, max ${(delay.max / 1e6).toFixed(1)} ms`,
    ).toBeLessThan(50);
    // And what it rendered is a real label: its QR code reads back as the unit's claim URL.
    const file = path.join(out.dir, `${claimIds[500]}.png`);
    expect(PNG.sync.read(fs.readFileSync(file)).width).toBeGreaterThan(100);
    expect(decodeQrPng(fs.readFileSync(file))).toContain(claimIds[500]);
    out.cleanup();
  }, 180_000);
});
