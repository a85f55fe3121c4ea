/**
 * A device database's values parsed with the rewriting shared with a second thread. Rewriting the
 * agent's relaxed JSON into strict JSON costs about half as much as the JSON.parse after it, so on
 * a machine with two cores a helper thread (rewriteWorker.ts) rewrites batch after batch ahead of
 * this thread, which only decodes and parses them: the two steps overlap instead of adding up.
 *
 * Nothing depends on the helper. Each batch has a state word; whichever thread swaps it from FREE
 * first does the batch, so this thread never waits for a batch nobody has taken: before the helper
 * has started (its first use takes a moment), or when it has gone, it does the batches itself, as
 * parseValues always did. For a batch the helper holds, it waits only while the helper shows
 * progress (a counter it bumps every 64 values); after STALL_MS without any (the helper stopped,
 * crashed, or starved of CPU) this thread does that batch itself. The rewrite is
 * the same function on both threads and the result is the same bytes, so the values, and every
 * decline and error, are the same as on one thread. Small files, files over SHARED_LIMIT and
 * one-core machines stay on one.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../workerScript';
import {
  ASCII_WRITTEN,
  ctrlWords,
  DONE,
  FREE,
  HELPER,
  lengthAt,
  PROGRESS,
  READER,
  STOPPED,
  stateAt,
  type RewriteJob,
} from './rewriteShared';
import { batchRoom, parseRewritten, parseValues } from './strictJson';

/** Below this many values one thread is as quick (and no thread is started for a small store). */
export const SHARED_MIN_VALUES = 4096;
/** Above this many bytes the file is read on one thread (the shared output is twice its size). */
export const SHARED_LIMIT = 64 * 1024 * 1024;
/** How long the helper may hold a batch without progress before this thread leaves it. */
const STALL_MS = 100;
/** How long one wait on a batch's state word lasts before the progress is looked at again. */
const SLICE_MS = 10;
/** Files up to this size keep their shared buffers for the next read (see `kept`). */
const KEEP_LIMIT = 32 * 1024 * 1024;

export interface BatchValues {
  /** The values of items from..from+count (a batch starts at a multiple of the batch size), or null when declined. */
  values(from: number, count: number): unknown[] | null;
  /** Tells the helper to leave the batches not yet taken. */
  finish(): void;
  /** True when a helper thread was asked to share the work. */
  shared: boolean;
  /** How many batches the helper rewrote so far (and JSON.parse took). */
  readonly helped: number;
}

let helper: Worker | null = null;
let unavailable = false;

function helperThread(): Worker | null {
  if (helper || unavailable) return helper;
  try {
    const file = workerScript('rewriteWorker');
    if (!file) {
      unavailable = true;
      return null;
    }
    const w = new Worker(file);
    w.unref();
    w.on('error', () => {
      if (helper === w) helper = null;
      unavailable = true;
    });
    w.on('exit', () => {
      if (helper === w) helper = null;
    });
    helper = w;
  } catch {
    unavailable = true;
  }
  return helper;
}

/**
 * The shared input and output of the last file, kept for the next one for a while: fresh memory
 * costs a page fault per 4 KiB on first touch (about 40 ms for a 100,000-item store's output),
 * so a store opened again, or the next page of files, reuses them. One job at a time uses them;
 * a second at the same time gets its own.
 */
const KEEP_MS = 30_000;
const kept: { input: SharedArrayBuffer | null; out: SharedArrayBuffer | null; busy: boolean } = {
  input: null,
  out: null,
  busy: false,
};
let keepTimer: ReturnType<typeof setTimeout> | null = null;

function sharedBuffers(
  inputBytes: number,
  outBytes: number,
  keep: boolean,
): { input: SharedArrayBuffer; out: SharedArrayBuffer; release(): void } {
  if (!keep || kept.busy || inputBytes > KEEP_LIMIT)
    return {
      input: new SharedArrayBuffer(inputBytes),
      out: new SharedArrayBuffer(outBytes),
      release: () => {},
    };
  kept.busy = true;
  if (keepTimer) clearTimeout(keepTimer);
  keepTimer = null;
  if (!kept.input || kept.input.byteLength < inputBytes) kept.input = new SharedArrayBuffer(inputBytes);
  if (!kept.out || kept.out.byteLength < outBytes) kept.out = new SharedArrayBuffer(outBytes);
  let released = false;
  return {
    input: kept.input,
    out: kept.out,
    release() {
      if (released) return;
      released = true;
      kept.busy = false;
      keepTimer = setTimeout(() => {
        if (!kept.busy) kept.input = kept.out = null;
      }, KEEP_MS);
      keepTimer.unref();
    },
  };
}

/** True while a read holds the kept buffers (for tests: a read that ends, however, lets them go). */
export function rewriteBuffersInUse(): boolean {
  return kept.busy;
}

/** Stops the helper thread (the next large file starts another): for tests. */
export async function stopRewriteHelper(): Promise<void> {
  const w = helper;
  helper = null;
  if (w) await w.terminate();
}

let mode: boolean | 'only' = true;
let onlyStallMs = 10_000;
let unheard = false;
/**
 * Turns the helper off (and on again): for tests and benches that compare one thread with two.
 * 'only' (for tests) makes this thread leave every batch to the helper, so a test knows which
 * thread did each one; a helper that shows no progress for `stallMs` (10 s) is still left, for
 * the rest of the file. `unheard` (tests) never tells the helper about the file, as if it had gone.
 */
export function useRewriteHelper(
  on: boolean | 'only',
  options: { stallMs?: number; unheard?: boolean } = {},
): void {
  mode = on;
  onlyStallMs = options.stallMs ?? 10_000;
  unheard = options.unheard ?? false;
}

function oneThread(bytes: Uint8Array, starts: number[], lengths: number[]): BatchValues {
  return {
    values: (from, count) => parseValues(bytes, starts, lengths, count, from),
    finish: () => {},
    shared: false,
    helped: 0,
  };
}

export function shareRewrites(
  bytes: Uint8Array,
  starts: number[],
  lengths: number[],
  batch: number,
  options: { keep?: boolean } = {},
): BatchValues {
  const count = starts.length;
  if (
    !mode ||
    count < SHARED_MIN_VALUES ||
    bytes.length > SHARED_LIMIT ||
    typeof SharedArrayBuffer !== 'function' ||
    os.availableParallelism() < 2
  )
    return oneThread(bytes, starts, lengths);
  const w = helperThread();
  if (!w) return oneThread(bytes, starts, lengths);
  const batches = Math.ceil(count / batch);
  const outAt = new Int32Array(batches);
  let room = 0;
  for (let b = 0; b < batches; b++) {
    outAt[b] = room;
    room += batchRoom(lengths, Math.min(batch, count - b * batch), b * batch);
  }
  // Offsets are Int32 and a written length carries the ASCII mark above it.
  if (room >= ASCII_WRITTEN) return oneThread(bytes, starts, lengths);
  let shared: ReturnType<typeof sharedBuffers> | null = null;
  let ctrl: Int32Array;
  try {
    shared = sharedBuffers(bytes.length, room, options.keep ?? true);
    new Uint8Array(shared.input).set(bytes);
    const frames = new SharedArrayBuffer(count * 8);
    new Int32Array(frames, 0, count).set(starts);
    new Int32Array(frames, count * 4, count).set(lengths);
    const ctrlBuffer = new SharedArrayBuffer(ctrlWords(batches) * 4);
    ctrl = new Int32Array(ctrlBuffer);
    if (!unheard)
      w.postMessage({
        input: shared.input,
        frames,
        count,
        batch,
        outAt,
        out: shared.out,
        ctrl: ctrlBuffer,
      } satisfies RewriteJob);
  } catch {
    // No room for the shared copy (or the helper cannot be told): one thread, as always.
    shared?.release();
    return oneThread(bytes, starts, lengths);
  }
  const { release } = shared;
  const outBytes = new Uint8Array(shared.out);
  const only = mode === 'only';
  const stallMs = only ? onlyStallMs : STALL_MS;
  let gaveUp = false;
  let helped = 0;
  const finish = () => {
    Atomics.store(ctrl, STOPPED, 1);
    release();
  };
  /** Waits while batch b is FREE (only) or the helper's; false when the helper stalled. */
  const awaitHelper = (b: number): boolean => {
    let seen = Atomics.load(ctrl, PROGRESS);
    let still = 0;
    for (;;) {
      const state = Atomics.load(ctrl, stateAt(b));
      if (state !== HELPER && !(only && state === FREE)) return true;
      Atomics.wait(ctrl, stateAt(b), state, SLICE_MS);
      const now = Atomics.load(ctrl, PROGRESS);
      if (now !== seen) {
        seen = now;
        still = 0;
      } else if ((still += SLICE_MS) >= stallMs) return false;
    }
  };
  return {
    values(from, n) {
      const b = Math.floor(from / batch);
      // A batch cut short (a key that ends the file) is not the batch the helper rewrote.
      if (gaveUp || n !== Math.min(batch, count - from)) return parseValues(bytes, starts, lengths, n, from);
      if (!only && Atomics.compareExchange(ctrl, stateAt(b), FREE, READER) === FREE)
        return parseValues(bytes, starts, lengths, n, from);
      if (!awaitHelper(b)) {
        // The helper stopped moving: this thread does this batch (the helper's copy, if it ever
        // comes, is not read). A helper that is gone holds at most this one; the batches it has not
        // taken stay FREE and are taken here. In 'only' mode nobody else would take them.
        if (only) {
          gaveUp = true;
          Atomics.store(ctrl, STOPPED, 1);
        }
        return parseValues(bytes, starts, lengths, n, from);
      }
      if (Atomics.load(ctrl, stateAt(b)) !== DONE) return parseValues(bytes, starts, lengths, n, from);
      const written = Atomics.load(ctrl, lengthAt(b));
      if (written < 0) return null;
      const ascii = written >= ASCII_WRITTEN;
      const length = ascii ? written - ASCII_WRITTEN : written;
      const values = parseRewritten(outBytes, outAt[b]!, outAt[b]! + length, n, ascii);
      if (values) helped++;
      return values;
    },
    finish,
    shared: true,
    get helped() {
      return helped;
    },
  };
}
