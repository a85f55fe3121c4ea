/**
 * A fast reader for the relaxed JSON the agent stores (JSON5: unquoted keys, single quotes,
 * comments, trailing commas, hex and signed numbers). The json5 package is correct but slow for
 * 100,000 items; this one handles the common shapes and returns `undefined` on anything it does not
 * accept, so the caller can fall back to json5 (for its precise error message, or an exotic form).
 */
const WS = new Set([0x20, 0x09, 0x0a, 0x0d, 0xa0, 0xfeff, 0x2028, 0x2029, 0x0b, 0x0c]);

class Fail extends Error {}
const FAIL = new Fail();

// The parser's state lives at module level, not in closures made per call: one call per item of a
// 100,000-item database, so the closures (and their names) cost more than the parsing did.
let text = '';
let i = 0;
let n = 0;

function skip(): void {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else if (c > 0x20 && c !== 0x2f && c < 0xa0) return;
    else if (WS.has(c)) i++;
    else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      while (i < n && text.charCodeAt(i) !== 0x0a) i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw FAIL;
      i = end + 2;
    } else return;
  }
}

function string(quote: number): string {
  i++;
  // Fast path: no escape and no line break before the closing quote.
  const close = text.indexOf(quote === 0x22 ? '"' : "'", i);
  if (close > 0) {
    let plain = true;
    for (let k = i; k < close; k++) {
      const c = text.charCodeAt(k);
      if (c === 0x5c || c === 0x0a || c === 0x0d) {
        plain = false;
        break;
      }
    }
    if (plain) {
      const out = text.slice(i, close);
      i = close + 1;
      return out;
    }
  }
  return escapedString(quote);
}

function escapedString(quote: number): string {
  let out = '';
  let start = i;
  for (;;) {
    if (i >= n) throw FAIL;
    const c = text.charCodeAt(i);
    if (c === quote) {
      out += text.slice(start, i++);
      return out;
    }
    if (c === 0x0a || c === 0x0d) throw FAIL;
    if (c === 0x5c) {
      out += text.slice(start, i);
      const e = text[i + 1];
      i += 2;
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'v':
          out += '\v';
          break;
        case '0':
          if (/[0-9]/.test(text[i] ?? '')) throw FAIL;
          out += '\0';
          break;
        case 'x': {
          const hex = text.slice(i, i + 2);
          if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw FAIL;
          out += String.fromCharCode(parseInt(hex, 16));
          i += 2;
          break;
        }
        case 'u': {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw FAIL;
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        case '\n':
          break;
        case undefined:
          throw FAIL;
        default:
          if (/[0-9]/.test(e)) throw FAIL;
          out += e;
      }
      start = i;
    } else i++;
  }
}

function identifier(): string {
  const start = i;
  const first = text.charCodeAt(i);
  if (first >= 0x30 && first <= 0x39) throw FAIL;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x5f ||
      c === 0x24
    )
      i++;
    else break;
  }
  if (i === start) throw FAIL;
  return text.slice(start, i);
}

function number(): number {
  // Fast path: a plain decimal integer or fraction.
  const start = i;
  let k = i;
  if (text.charCodeAt(k) === 0x2d) k++;
  const digits = k;
  while (k < n && text.charCodeAt(k) >= 0x30 && text.charCodeAt(k) <= 0x39) k++;
  if (k > digits && !(text.charCodeAt(digits) === 0x30 && k - digits > 1)) {
    let c = text.charCodeAt(k);
    if (c === 0x2e) {
      k++;
      while (k < n && text.charCodeAt(k) >= 0x30 && text.charCodeAt(k) <= 0x39) k++;
      c = text.charCodeAt(k);
    }
    if (c !== 0x65 && c !== 0x45 && c !== 0x78 && c !== 0x58) {
      i = k;
      return Number(text.slice(start, k));
    }
  }
  const m =
    /^[+-]?(?:0[xX][0-9a-fA-F]+|Infinity|NaN|(?:(?:0|[1-9]\d*)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/.exec(
      text.slice(i, i + 400),
    );
  if (!m) throw FAIL;
  i += m[0].length;
  const s = m[0];
  const sign = s.startsWith('-') ? -1 : 1;
  const body = s.replace(/^[+-]/, '');
  if (/^0[xX]/.test(body)) return sign * parseInt(body, 16);
  return Number(s.startsWith('+') ? s.slice(1) : s);
}

function object(depth: number): Record<string, unknown> {
  i++;
  const obj: Record<string, unknown> = {};
  for (;;) {
    skip();
    const k = text.charCodeAt(i);
    if (k === 0x7d) {
      i++;
      return obj;
    }
    const key = k === 0x22 || k === 0x27 ? string(k) : identifier();
    if (text.charCodeAt(i) !== 0x3a) {
      skip();
      if (text.charCodeAt(i) !== 0x3a) throw FAIL;
    }
    i++;
    const v = value(depth + 1);
    if (key === '__proto__')
      Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
    else obj[key] = v;
    let d = text.charCodeAt(i);
    if (d !== 0x2c && d !== 0x7d) {
      skip();
      d = text.charCodeAt(i);
    }
    if (d === 0x2c) i++;
    else if (d !== 0x7d) throw FAIL;
  }
}

function array(depth: number): unknown[] {
  i++;
  const arr: unknown[] = [];
  for (;;) {
    skip();
    if (text.charCodeAt(i) === 0x5d) {
      i++;
      return arr;
    }
    arr.push(value(depth + 1));
    skip();
    const d = text.charCodeAt(i);
    if (d === 0x2c) i++;
    else if (d !== 0x5d) throw FAIL;
  }
}

function value(depth: number): unknown {
  if (depth > 200) throw FAIL;
  skip();
  const c = text.charCodeAt(i);
  if (c === 0x22 || c === 0x27) return string(c);
  if (c === 0x7b) return object(depth);
  if (c === 0x5b) return array(depth);
  if (c === 0x74 && text.startsWith('true', i)) return ((i += 4), true);
  if (c === 0x66 && text.startsWith('false', i)) return ((i += 5), false);
  if (c === 0x6e && text.startsWith('null', i)) return ((i += 4), null);
  return number();
}

export function parseRelaxedJson(source: string): unknown {
  text = source;
  i = 0;
  n = source.length;
  try {
    const result = value(0);
    skip();
    return i === n ? result : undefined;
  } catch (error) {
    if (error instanceof Fail || error instanceof RangeError) return undefined;
    throw error;
  } finally {
    text = '';
  }
}
