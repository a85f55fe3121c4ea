/**
 * The claim-ID reservation worker (worker_threads): draws and inserts an order's missing IDs on
 * its own connection to the station database, so the Electron main process and the bridge's event
 * loop stay free while a million IDs are reserved. The same batch reserver as in-thread (one
 * transaction per batch: rows, counts, one event), the same pragmas; it answers after each batch
 * and stops between batches when told. See reserveInWorker.ts.
 */
import { randomBytes } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { systemClock } from '../clock';
import { isFailure } from '../failure';
import type { ErrorInfo } from '../../shared/contract';
import { createEventLog, type Actor } from '../store/eventLog';
import { createBatchReserver, type BatchResult } from './reserve';

export interface ReserveJob {
  id: number;
  kind: 'reserve';
  file: string;
  orderId: string;
  batchSize: number;
  actor: Actor;
  /** SQLite page cache while reserving (negative = KiB). */
  cacheSize: number;
}

export type ReserveAnswer =
  | { id: number; kind: 'batch'; result: BatchResult }
  | { id: number; kind: 'done' }
  | { id: number; kind: 'error'; error: ErrorInfo };

const cancelled = new Set<number>();

async function reserve(job: ReserveJob): Promise<void> {
  let db: Database.Database | null = null;
  try {
    db = new Database(job.file, { timeout: 5000 });
    // As createStore sets them (store/index.ts), for this connection.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    db.pragma(`cache_size = ${job.cacheSize}`);
    const handle = db;
    const store = {
      db: handle,
      events: createEventLog(handle, systemClock, () => job.actor),
      transaction: <T>(fn: () => T): T => handle.transaction(fn).immediate(),
    };
    const batch = createBatchReserver({ store, clock: systemClock, randomBytes }, job.orderId);
    for (;;) {
      if (cancelled.delete(job.id)) break;
      const result = batch(job.batchSize);
      parentPort!.postMessage({ id: job.id, kind: 'batch', result } satisfies ReserveAnswer);
      if (result.reserved >= result.quantity) break;
      // Let a cancel in between transactions.
      await new Promise((resolve) => setImmediate(resolve));
    }
    parentPort!.postMessage({ id: job.id, kind: 'done' } satisfies ReserveAnswer);
  } catch (error) {
    const info: ErrorInfo = isFailure(error)
      ? error.toInfo()
      : { code: 'internal', message: error instanceof Error ? error.message : String(error) };
    parentPort!.postMessage({ id: job.id, kind: 'error', error: info } satisfies ReserveAnswer);
  } finally {
    db?.close();
    cancelled.delete(job.id);
  }
}

parentPort?.on('message', (message: ReserveJob | { id: number; kind: 'cancel' }) => {
  if (message.kind === 'cancel') cancelled.add(message.id);
  else void reserve(message);
});
