/**
 * Parses a device database in a worker thread (parseWorker.ts), so the caller's event loop stays
 * free: items arrive in batches through `onItems`, the replay info through `onInfo` before the
 * first batch, and the promise settles with the final info or rejects with the same Failure the
 * in-thread reader raises. One worker per process, started on first use and holding the process
 * open only while it has work. Where no worker can start, the same reader runs here, a batch per
 * turn of the event loop.
 */
import { createWorkerHost, failureFromWorker } from '../workerHost';
import type { DeviceItem } from './format';
import { unpackItems } from './packItems';
import type { ParseAnswer, ParseJob } from './parseWorker';
import { replayDeviceDatabaseBatches, type DeviceDatabaseFiles, type ReplayInfo } from './replay';

export interface ParseListener {
  onInfo?(info: Partial<ReplayInfo>): void;
  onItems(items: DeviceItem[]): void;
}

export interface ParseHandle {
  /** Settles when every item was delivered (with the final info), or with the file's Failure. */
  done: Promise<Partial<ReplayInfo>>;
  /** Stops delivering items (the worker stops at its next batch). */
  cancel(): void;
  /** True when the parse runs in a worker thread. */
  inWorker: boolean;
}

/** Items per message from the worker: small enough that receiving one is a short pause. */
export const WORKER_BATCH = 250;

interface Job {
  listener: ParseListener;
  resolve: (info: Partial<ReplayInfo>) => void;
  reject: (error: Error) => void;
}

const host = createWorkerHost<Job, ParseAnswer>('devicedbWorker', (answer, job, w) => {
  if (answer.kind === 'info') job.listener.onInfo?.(answer.info);
  else if (answer.kind === 'items') {
    job.listener.onItems(unpackItems(answer.items));
    // The next batch only after this turn: never a queue of them unpacked at once.
    setImmediate(() => {
      if (host.has(answer.id)) w.postMessage({ id: answer.id, kind: 'next' });
    });
  } else if (answer.kind === 'done') host.settle(answer.id)?.resolve(answer.info);
  else {
    job.listener.onInfo?.(answer.info);
    host.settle(answer.id)?.reject(failureFromWorker(answer.error));
  }
});

/** The same reader on this thread, one batch per turn of the event loop. */
function inThread(files: DeviceDatabaseFiles, listener: ParseListener): ParseHandle {
  let stopped = false;
  const info: Partial<ReplayInfo> = {};
  const done = new Promise<Partial<ReplayInfo>>((resolve, reject) => {
    let iterator: Iterator<DeviceItem[]>;
    let told = false;
    const step = () => {
      try {
        iterator ??= replayDeviceDatabaseBatches(files, info);
        const next = iterator.next();
        if (!told) {
          listener.onInfo?.(info);
          told = true;
        }
        if (next.done || stopped) {
          // A stopped read is closed, so the reader lets its rewrite helper go.
          if (!next.done) iterator.return?.(undefined);
          return resolve(info);
        }
        listener.onItems(next.value);
        setImmediate(step);
      } catch (error) {
        listener.onInfo?.(info);
        reject(error as Error);
      }
    };
    step();
  });
  return { done, cancel: () => (stopped = true), inWorker: false };
}

/**
 * Parses the files off this thread. The bytes are copied to the worker (the caller keeps its
 * buffers); `inThread: true` forces the in-thread reader (for comparison in tests and benches).
 */
export function parseDeviceDatabase(
  files: DeviceDatabaseFiles,
  listener: ParseListener,
  options: { inThread?: boolean; batch?: number } = {},
): ParseHandle {
  if (options.inThread) return inThread(files, listener);
  let cancelled = false;
  let hosted!: Job;
  const done = new Promise<Partial<ReplayInfo>>((resolve, reject) => {
    hosted = {
      listener: {
        onInfo: (info) => listener.onInfo?.(info),
        onItems: (items) => {
          if (!cancelled) listener.onItems(items);
        },
      },
      resolve,
      reject,
    };
  });
  const added = host.add(hosted);
  if (!added) return inThread(files, listener);
  const { id, worker: w } = added;
  w.postMessage({
    id,
    kind: 'parse',
    files: {
      db: files.db ? new Uint8Array(files.db) : null,
      journal: files.journal ? new Uint8Array(files.journal) : null,
      dbName: files.dbName,
      journalName: files.journalName,
    },
    batch: options.batch ?? WORKER_BATCH,
  } satisfies ParseJob);
  return {
    done,
    cancel: () => {
      if (cancelled) return;
      cancelled = true;
      w.postMessage({ id, kind: 'cancel' });
      host.settle(id)?.resolve({});
    },
    inWorker: true,
  };
}

/** Every item, parsed in the worker: the whole database after replay, as loadDeviceDatabase. */
export async function loadDeviceDatabaseInWorker(
  files: DeviceDatabaseFiles,
): Promise<{ info: Partial<ReplayInfo>; items: DeviceItem[]; inWorker: boolean }> {
  const items: DeviceItem[] = [];
  const handle = parseDeviceDatabase(files, {
    onItems: (batch) => {
      for (const item of batch) items.push(item);
    },
  });
  const info = await handle.done;
  return { info, items, inWorker: handle.inWorker };
}
