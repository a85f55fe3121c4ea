/**
 * The device database worker (worker_threads): parses `device.db` with its journal replayed off
 * the main thread, so the Electron main process and the bridge's event loop stay responsive while
 * a 100,000-item database is read. Gets the files' bytes, answers the replay info, then the items
 * in batches, one at a time as the receiver asks for them (each a short structured-clone on the
 * receiving side), then the final info or the Failure as plain data. See inWorker.ts.
 */
import { parentPort } from 'node:worker_threads';
import { isFailure } from '../failure';
import type { ErrorInfo } from '../../shared/contract';
import type { DeviceItem } from './format';
import { packItems, type PackedItems } from './packItems';
import { replayDeviceDatabaseBatches, type DeviceDatabaseFiles, type ReplayInfo } from './replay';

export interface ParseJob {
  id: number;
  kind: 'parse';
  files: DeviceDatabaseFiles;
  /** Items per message. */
  batch: number;
}

export type ParseAnswer =
  | { id: number; kind: 'info'; info: Partial<ReplayInfo> }
  | { id: number; kind: 'items'; items: PackedItems }
  | { id: number; kind: 'done'; info: Partial<ReplayInfo> }
  | { id: number; kind: 'error'; error: ErrorInfo; info: Partial<ReplayInfo> };

/** Per job: how many more batches the receiver asked for, and who waits for that. */
const credits = new Map<number, { credit: number; wake: (() => void) | null; cancelled: boolean }>();

function post(answer: ParseAnswer): void {
  parentPort!.postMessage(answer);
}

/**
 * Waits until the receiver wants another batch. It asks for one at a time, after the previous one
 * was handled, so batches never pile up in its queue to be unpacked in one long turn.
 */
async function credit(id: number): Promise<boolean> {
  const state = credits.get(id)!;
  while (state.credit === 0 && !state.cancelled) await new Promise<void>((resolve) => (state.wake = resolve));
  state.credit--;
  return !state.cancelled;
}

async function parse(job: ParseJob): Promise<void> {
  const info: Partial<ReplayInfo> = {};
  credits.set(job.id, { credit: 1, wake: null, cancelled: false });
  // Parsed ahead while the receiver unpacks the previous batch.
  const queue: DeviceItem[][] = [];
  let pending: DeviceItem[] = [];
  let told = false;
  let failure: unknown = null;
  try {
    for (const batch of replayDeviceDatabaseBatches(job.files, info)) {
      if (!told) {
        post({ id: job.id, kind: 'info', info });
        told = true;
      }
      for (const item of batch) pending.push(item);
      if (pending.length >= job.batch) {
        queue.push(pending);
        pending = [];
      }
      const state = credits.get(job.id)!;
      if (state.cancelled) return;
      if (state.credit > 0 && queue.length > 0) {
        state.credit--;
        post({ id: job.id, kind: 'items', items: packItems(queue.shift()!) });
      }
      // Let the receiver's requests (and a cancel) in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    failure = error;
  }
  try {
    if (pending.length > 0) queue.push(pending);
    for (const items of queue) {
      if (!(await credit(job.id))) return;
      post({ id: job.id, kind: 'items', items: packItems(items) });
    }
    if (failure === null) post({ id: job.id, kind: 'done', info });
    else {
      const error = isFailure(failure)
        ? failure.toInfo()
        : {
            code: 'internal' as const,
            message: failure instanceof Error ? failure.message : String(failure),
          };
      post({ id: job.id, kind: 'error', error, info });
    }
  } finally {
    credits.delete(job.id);
  }
}

parentPort?.on('message', (message: ParseJob | { id: number; kind: 'next' | 'cancel' }) => {
  if (message.kind === 'parse') {
    void parse(message);
    return;
  }
  const state = credits.get(message.id);
  if (!state) return;
  if (message.kind === 'cancel') state.cancelled = true;
  else state.credit++;
  state.wake?.();
  state.wake = null;
});
