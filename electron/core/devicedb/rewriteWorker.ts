/**
 * The rewrite helper (worker_threads): rewrites a device database's values into strict JSON, batch
 * after batch, in memory shared with the thread reading the file, while that thread parses the
 * batches already done. It takes only batches nobody has taken (a compare-and-swap on each one's
 * state word), so the reader never waits for a batch it could do itself. See rewriteHelper.ts.
 */
import { parentPort } from 'node:worker_threads';
import {
  ASCII_WRITTEN,
  DONE,
  FREE,
  HELPER,
  lengthAt,
  PROGRESS,
  PROGRESS_EVERY,
  STOPPED,
  stateAt,
  type RewriteJob,
} from './rewriteShared';
import { rewriteBatch } from './strictJson';

function work(job: RewriteJob): void {
  const input = new Uint8Array(job.input);
  const starts = new Int32Array(job.frames, 0, job.count);
  const lengths = new Int32Array(job.frames, job.count * 4, job.count);
  const out = new Uint8Array(job.out);
  const ctrl = new Int32Array(job.ctrl);
  const batches = job.outAt.length;
  const progress = { words: ctrl, at: PROGRESS, every: PROGRESS_EVERY };
  for (let b = 0; b < batches; b++) {
    if (Atomics.load(ctrl, STOPPED) !== 0) return;
    if (Atomics.compareExchange(ctrl, stateAt(b), FREE, HELPER) !== FREE) continue;
    Atomics.add(ctrl, PROGRESS, 1);
    const from = b * job.batch;
    const count = Math.min(job.batch, job.count - from);
    const at = job.outAt[b]!;
    let end = -1;
    try {
      end = rewriteBatch(input, starts, lengths, count, from, out, at, progress);
    } catch {
      // Declined: the reader then reads the batch's values one by one, with their precise errors.
    }
    let high = 0;
    for (let i = at; i < end; i++) high |= out[i]!;
    Atomics.store(ctrl, lengthAt(b), end < 0 ? -1 : end - at + (high < 0x80 ? ASCII_WRITTEN : 0));
    Atomics.store(ctrl, stateAt(b), DONE);
    Atomics.notify(ctrl, stateAt(b));
  }
}

parentPort?.on('message', (job: RewriteJob) => work(job));
