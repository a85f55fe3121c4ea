/**
 * Where each value sits in a JSON5 text, so validation problems point at a line and column.
 * `json5` parses but keeps no positions; this scanner walks the same grammar (comments, quoted and
 * bare keys, trailing commas) and records, for every path, the position of its key and its value.
 * It only runs on text `json5` already accepted, so it does not report syntax errors itself.
 */
export interface Position {
  line: number;
  column: number;
}

export interface Located {
  /** Where the member's key starts (for object members), else where the value starts. */
  key: Position;
  value: Position;
}

export type PathKey = string | number;

export function pathId(path: readonly PathKey[]): string {
  return JSON.stringify(path);
}

/** Deeper than this is no profile: `locateJson5` records where it starts and skips it. */
export const MAX_DEPTH = 32;

export interface LocateResult extends Map<string, Located> {
  /** Where a value first nests deeper than MAX_DEPTH, if one does. */
  tooDeep?: Position;
}

export function locateJson5(text: string): LocateResult {
  const found: LocateResult = new Map<string, Located>();
  let i = 0;
  let line = 1;
  let col = 1;

  const pos = (): Position => ({ line, column: col });
  function advance(n = 1) {
    for (let k = 0; k < n && i < text.length; k++) {
      if (text[i] === '\n') {
        line++;
        col = 1;
      } else col++;
      i++;
    }
  }
  function skip() {
    for (;;) {
      const c = text[i];
      if (c === undefined) return;
      if (/\s|\uFEFF/.test(c)) advance();
      else if (c === '/' && text[i + 1] === '/') while (i < text.length && text[i] !== '\n') advance();
      else if (c === '/' && text[i + 1] === '*') {
        advance(2);
        while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) advance();
        advance(2);
      } else return;
    }
  }
  function readString(): string {
    const quote = text[i];
    advance();
    let out = '';
    while (i < text.length && text[i] !== quote) {
      if (text[i] === '\\') {
        advance();
        const e = text[i] ?? '';
        const simple: Record<string, string> = {
          n: '\n',
          t: '\t',
          r: '\r',
          b: '\b',
          f: '\f',
          v: '\v',
          0: '\0',
        };
        if (e === 'u') {
          out += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
          advance(5);
          continue;
        }
        if (e === 'x') {
          out += String.fromCharCode(parseInt(text.slice(i + 1, i + 3), 16));
          advance(3);
          continue;
        }
        if (e === '\r' && text[i + 1] === '\n') advance();
        out += e === '\n' || e === '\r' ? '' : (simple[e] ?? e);
        advance();
        continue;
      }
      out += text[i];
      advance();
    }
    advance();
    return out;
  }
  function readKey(): string {
    if (text[i] === '"' || text[i] === "'") return readString();
    let out = '';
    while (i < text.length && /[\p{L}\p{N}_$\\\u200C\u200D]/u.test(text[i]!)) {
      out += text[i];
      advance();
    }
    return out;
  }
  /** Skips one object or array without recursion (strings and comments respected). */
  function skipNested() {
    let depth = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '"' || c === "'") {
        readString();
        continue;
      }
      if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
        skip();
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          advance();
          return;
        }
      }
      advance();
    }
  }
  function value(path: PathKey[], key: Position) {
    skip();
    found.set(pathId(path), { key, value: pos() });
    const c = text[i];
    if ((c === '{' || c === '[') && path.length >= MAX_DEPTH) {
      found.tooDeep ??= pos();
      skipNested();
    } else if (c === '{') {
      advance();
      for (;;) {
        skip();
        if (text[i] === '}' || i >= text.length) break;
        const at = pos();
        const k = readKey();
        skip();
        advance(); // ':'
        value([...path, k], at);
        skip();
        if (text[i] === ',') advance();
      }
      advance();
    } else if (c === '[') {
      advance();
      for (let n = 0; ; n++) {
        skip();
        if (text[i] === ']' || i >= text.length) break;
        value([...path, n], pos());
        skip();
        if (text[i] === ',') advance();
      }
      advance();
    } else if (c === '"' || c === "'") readString();
    else while (i < text.length && !/[\s,\]}/]/.test(text[i]!)) advance();
  }
  value([], pos());
  return found;
}

/** The best position for a path: the deepest located ancestor (a missing key points at its object). */
export function positionOf(
  located: Map<string, Located>,
  path: readonly PathKey[],
  at: 'key' | 'value' = 'key',
): Position {
  for (let n = path.length; n >= 0; n--) {
    const hit = located.get(pathId(path.slice(0, n)));
    if (hit) return n === path.length ? hit[at] : hit.value;
  }
  return { line: 1, column: 1 };
}
