/**
 * The memory two threads share while a device database's values are rewritten into strict JSON
 * (rewriteHelper.ts on the reading thread, rewriteWorker.ts on the helper): the file's bytes, where
 * each value sits, one output region per batch, and per batch a state word and the written length.
 */

/** Nobody has the batch yet. */
export const FREE = 0;
/** The helper is rewriting it. */
export const HELPER = 1;
/**
 * The helper wrote it: its length is in `lengthAt(b)` (−1: declined), with ASCII_WRITTEN added
 * when every byte written is ASCII (lengths stay below it: SHARED_LIMIT is 64 MB).
 */
export const DONE = 2;
/** The reading thread took it itself. */
export const READER = 3;
export const ASCII_WRITTEN = 1 << 30;

/** ctrl[0] is set when the reader stops early; the helper then leaves the rest. */
export const STOPPED = 0;
/** ctrl[1] counts the helper's progress (a batch taken, every PROGRESS_EVERY values): a reader waits only while it moves. */
export const PROGRESS = 1;
export const PROGRESS_EVERY = 64;
export const stateAt = (b: number): number => 2 + 2 * b;
export const lengthAt = (b: number): number => 3 + 2 * b;
export const ctrlWords = (batches: number): number => 2 + 2 * batches;

export interface RewriteJob {
  /** The file's bytes. */
  input: SharedArrayBuffer;
  /** Int32: values' starts (count words), then their lengths (count words). */
  frames: SharedArrayBuffer;
  count: number;
  /** Values per batch. */
  batch: number;
  /** Where each batch's output begins in `out`. */
  outAt: Int32Array;
  out: SharedArrayBuffer;
  /** Int32, ctrlWords(batches). */
  ctrl: SharedArrayBuffer;
}
