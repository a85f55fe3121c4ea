/**
 * Label rendering in worker threads. PNG rasterising and PDF building are CPU work (milliseconds
 * per label, seconds per order): done on the main thread they would stall the Electron window's
 * IPC and the bridge's HTTP/WebSocket loop. One pool per process, started on first use; its
 * workers hold the process open only while they have work.
 *
 * Where no worker can start, rendering happens in-process.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LabelOp, LaidOutLabel } from './layout';
import type { SheetLayout } from './render/pdf';
import type { RenderAnswer, RenderJob } from './renderWorker';
import { workerScript } from '../workerScript';

export interface RenderPoolStats {
  /** Jobs a worker rendered. */
  rendered: number;
  workers: number;
}

interface Slot {
  worker: Worker;
  busy: number;
}

const stats: RenderPoolStats = { rendered: 0, workers: 0 };
let slots: Slot[] | null = null;
let broken = false;
let nextId = 1;
const pending = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void; slot: Slot }>();

function start(): Slot[] | null {
  if (slots || broken) return slots;
  const file = workerScript('renderWorker');
  if (!file) {
    broken = true;
    return null;
  }
  const size = Math.max(1, Math.min(4, (os.availableParallelism?.() ?? os.cpus().length) - 1));
  slots = Array.from({ length: size }, () => {
    const worker = new Worker(file);
    const slot: Slot = { worker, busy: 0 };
    worker.unref();
    worker.on('message', (answer: RenderAnswer) => {
      const p = pending.get(answer.id);
      if (!p) return;
      pending.delete(answer.id);
      if (--slot.busy === 0) worker.unref();
      if (answer.ok) {
        stats.rendered++;
        p.resolve(Buffer.from(answer.data.buffer, answer.data.byteOffset, answer.data.byteLength));
      } else p.reject(new Error(answer.message));
    });
    worker.on('error', (error) => {
      for (const [id, p] of pending)
        if (p.slot === slot) {
          pending.delete(id);
          p.reject(error);
        }
      slots = slots?.filter((s) => s !== slot) ?? null;
      if (slots?.length === 0) slots = null;
    });
    return slot;
  });
  stats.workers = slots.length;
  return slots;
}

/**
 * A label as plain data for the worker: the QR matrix is left out (the worker encodes it), so
 * the QR encoding, the costly part of a label after rasterising, is not done here by the copy.
 */
function plainLabel(label: LaidOutLabel): LaidOutLabel {
  return {
    ...label,
    ops: label.ops.map((op) => {
      if (op.kind !== 'qr') return op;
      const { x, y, module, quietZone, size, payload, errorCorrection } = op;
      return { kind: 'qr', x, y, module, quietZone, size, payload, errorCorrection } as unknown as LabelOp;
    }),
  };
}

/** Renders in a worker; null when workers are not available here (the caller renders itself). */
export function renderInWorker(job: {
  format: 'png' | 'pdf';
  labels: LaidOutLabel[];
  sheet?: SheetLayout;
  fontFile: string;
}): Promise<Buffer> | null {
  const pool = start();
  if (!pool || pool.length === 0) return null;
  const slot = pool.reduce((a, b) => (b.busy < a.busy ? b : a));
  const id = nextId++;
  return new Promise<Buffer>((resolve, reject) => {
    pending.set(id, { resolve, reject, slot });
    if (slot.busy++ === 0) slot.worker.ref();
    slot.worker.postMessage({ id, ...job, labels: job.labels.map(plainLabel) } satisfies RenderJob);
  });
}

export function renderPoolStats(): RenderPoolStats {
  return { ...stats };
}
