/**
 * The fast path for many values at once: each value's bytes (the relaxed JSON the agent stores:
 * unquoted keys, single-quoted strings) are rewritten into strict JSON in one byte buffer, and the
 * whole batch goes through one native JSON.parse. That is several times faster than any parser
 * written in JavaScript, which matters for a 100,000-item database.
 *
 * The rewrite only quotes keys and turns single quotes into double quotes; it never guesses. A
 * value it cannot rewrite safely (a comment, an unbalanced bracket, anything after the object) is
 * declined, and a batch JSON.parse refuses (hex numbers, trailing commas, JSON5-only escapes or
 * whitespace) is declined whole: the caller then reads those values one by one with the relaxed
 * parser and json5, which give the same result or the precise error. So what this accepts means
 * exactly what JSON5 says it means.
 */

const QUOTE = 0x22;
const APOS = 0x27;
const BACKSLASH = 0x5c;

// What each byte is outside strings, so the hot loop takes one table load per byte.
const PLAIN = 0;
const IDENT = 1;
const OPEN = 2;
const CLOSE = 3;
const DQ = 4;
const SQ = 5;
const SLASH = 6;
const outside = new Uint8Array(256);
for (let c = 0; c < 256; c++)
  outside[c] =
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x24
      ? IDENT
      : c === 0x7b || c === 0x5b
        ? OPEN
        : c === 0x7d || c === 0x5d
          ? CLOSE
          : c === QUOTE
            ? DQ
            : c === APOS
              ? SQ
              : c === 0x2f
                ? SLASH
                : PLAIN;
// Bytes that continue an identifier.
const identPart = new Uint8Array(256);
for (let c = 0; c < 256; c++) identPart[c] = outside[c] === IDENT || (c >= 0x30 && c <= 0x39) ? 1 : 0;
// Bytes a single-quoted string's content cannot copy as they are.
const inSingle = new Uint8Array(256);
inSingle[APOS] = 1;
inSingle[QUOTE] = 1;
inSingle[BACKSLASH] = 1;

function space(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Writes the value in `src[start, end)` as strict JSON into `out` at `o` and returns the offset
 * after it, or -1 when it declines. `out` must have room for 2 × (end − start) + 2 bytes.
 * A value is accepted only as one object: `{`, balanced brackets, then nothing but whitespace.
 */
export function rewriteValue(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  o: number,
): number {
  let i = start;
  while (i < end && space(src[i]!)) i++;
  if (src[i] !== 0x7b) return -1;
  let depth = 0;
  while (i < end) {
    const c = src[i]!;
    switch (outside[c]) {
      case PLAIN:
        out[o++] = c;
        i++;
        break;
      case IDENT: {
        // Copied with an opening quote as it is scanned (most identifiers are keys).
        const q = o;
        out[o++] = QUOTE;
        out[o++] = c;
        i++;
        let d = 0;
        while (i < end && identPart[(d = src[i]!)] === 1) {
          out[o++] = d;
          i++;
        }
        // Only a key is followed by a colon; true, false and null are copied as they are, without
        // the quote (and Infinity or NaN make JSON.parse decline the batch).
        if (d === 0x3a && i < end) out[o++] = QUOTE;
        else {
          let k = i;
          while (k < end && (src[k] === 0x20 || src[k] === 0x09)) k++;
          if (src[k] === 0x3a) out[o++] = QUOTE;
          else {
            out.copyWithin(q, q + 1, o);
            o--;
          }
        }
        break;
      }
      case SQ:
        out[o++] = QUOTE;
        i++;
        for (;;) {
          if (i >= end) return -1;
          const d = src[i++]!;
          if (inSingle[d] === 0) {
            out[o++] = d;
            continue;
          }
          if (d === APOS) {
            out[o++] = QUOTE;
            break;
          }
          if (d === QUOTE) {
            out[o++] = BACKSLASH;
            out[o++] = QUOTE;
          } else {
            if (i >= end) return -1;
            const e = src[i++]!;
            // \' is an apostrophe; every other escape is kept for JSON.parse to judge.
            if (e !== APOS) out[o++] = BACKSLASH;
            out[o++] = e;
          }
        }
        break;
      case DQ:
        out[o++] = c;
        i++;
        for (;;) {
          if (i >= end) return -1;
          const d = src[i++]!;
          out[o++] = d;
          if (d === BACKSLASH) {
            if (i >= end) return -1;
            out[o++] = src[i++]!;
          } else if (d === QUOTE) break;
        }
        break;
      case OPEN:
        depth++;
        out[o++] = c;
        i++;
        break;
      case CLOSE:
        out[o++] = c;
        i++;
        if (--depth === 0) {
          for (; i < end; i++) if (!space(src[i]!)) return -1;
          return o;
        }
        break;
      default:
        // A comment: declined (the relaxed parser reads it).
        return -1;
    }
  }
  return -1;
}

/** Bytes `rewriteBatch` may write for values from..from+count: enough for every value doubled. */
export function batchRoom(lengths: ArrayLike<number>, count: number, from = 0): number {
  let room = 2;
  for (let k = from; k < from + count; k++) room += 2 * lengths[k]! + 3;
  return room;
}

/**
 * Writes the values `src[starts[k], starts[k] + lengths[k])` for from <= k < from + count as one
 * strict JSON array into `out` at `o` (room: batchRoom) and returns the offset after it, or -1
 * when any value is declined. With `progress`, adds 1 to `progress[at]` every `every` values
 * (how a helper thread shows it is still at work).
 */
export function rewriteBatch(
  src: Uint8Array,
  starts: ArrayLike<number>,
  lengths: ArrayLike<number>,
  count: number,
  from: number,
  out: Uint8Array,
  o: number,
  progress?: { words: Int32Array; at: number; every: number },
): number {
  out[o++] = 0x5b;
  for (let k = from; k < from + count; k++) {
    if (progress && (k - from) % progress.every === progress.every - 1)
      Atomics.add(progress.words, progress.at, 1);
    if (k > from) out[o++] = 0x2c;
    o = rewriteValue(src, starts[k]!, starts[k]! + lengths[k]!, out, o);
    if (o < 0) return -1;
  }
  out[o++] = 0x5d;
  return o;
}

/**
 * The `count` values of a batch rewriteBatch wrote to `bytes[start, end)`, or null when the text
 * is not valid UTF-8 (the caller's strict decoder then reports it) or JSON.parse declines it.
 */
export function parseRewritten(
  bytes: Uint8Array,
  start: number,
  end: number,
  count: number,
  ascii = false,
): unknown[] | null {
  // Text known to be ASCII is copied as it is (latin1), with nothing to validate.
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString(ascii ? 'latin1' : 'utf8', start, end);
  if (!ascii && text.includes('\uFFFD')) return null;
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    return null;
  }
  return Array.isArray(values) && values.length === count ? values : null;
}

let scratch = new Uint8Array(1 << 20);

/**
 * Parses the values `src[starts[k], starts[k] + lengths[k])` for from <= k < from + count with one
 * JSON.parse, on this thread (rewriteHelper.ts shares the rewriting with a second one).
 * Returns the values in order, or null when any of them is declined (the caller reads them one by
 * one). Text that is not valid UTF-8 is declined too, so the caller's strict decoder reports it.
 */
export function parseValues(
  src: Uint8Array,
  starts: ArrayLike<number>,
  lengths: ArrayLike<number>,
  count: number,
  from = 0,
): unknown[] | null {
  const room = batchRoom(lengths, count, from);
  if (scratch.length < room) scratch = new Uint8Array(Math.max(room, scratch.length * 2));
  const end = rewriteBatch(src, starts, lengths, count, from, scratch, 0);
  return end < 0 ? null : parseRewritten(scratch, 0, end, count);
}
