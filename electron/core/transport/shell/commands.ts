/** Shell command text for the console transport: quoting, chunk encodings, hash parsing. */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Failure } from '../../failure';

/**
 * A control byte (below 0x20, or 0x7F) in text typed into a console: the tty's line discipline acts
 * on it (^U erases the line, ^C interrupts, ^D ends input) before the shell sees any quoting
 * (docs/ioto-contracts.md section 9). Returns the first one's index, or -1.
 */
export function controlCharAt(text: string): number {
  // eslint-disable-next-line no-control-regex
  const m = /[\u0000-\u001f\u007f]/.exec(text);
  return m ? m.index : -1;
}

/** U+0015 style name of a character, for messages. */
export const codePoint = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The last guard before a line is typed into a unit's console: refuses any control character in
 * `text` (the line's own terminating \r is added by the caller after this check).
 */
export function assertTypeable(text: string, what: string): void {
  const at = controlCharAt(text);
  if (at < 0) return;
  throw new Failure(
    'validation',
    `Nothing was typed for ${what}: it holds the control character ${codePoint(text[at]!)}, which the unit's console would act on before the shell; remove it from the profile (device directory, post-commands, login) or the path you typed.`,
    { detail: `at character ${at + 1}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 40))}` },
  );
}

export const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function joinDevicePath(deviceDir: string, relative: string): string {
  const rel = relative.replace(/^\/+/, '');
  if (rel.split('/').includes('..')) throw new Error(`refusing a device path with "..": ${relative}`);
  return `${deviceDir.replace(/\/+$/, '')}/${rel}`;
}

export function dirnameOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/**
 * Raw bytes per printf chunk. A console line must stay well under the tty's 4095-byte canonical
 * limit: printf octal escapes make 200 bytes 800 characters.
 */
export const PRINTF_CHUNK = 200;

export function printfAppend(chunk: Buffer, target: string): string {
  let escaped = '';
  for (const byte of chunk) escaped += `\\${byte.toString(8).padStart(3, '0')}`;
  return `printf '${escaped}' >> ${shq(target)}`;
}

/** The first hex digest on `sha256sum`/`md5sum` output, or null ("No such file"). */
export function parseDigest(output: string, algorithm: 'sha256' | 'md5'): string | null {
  const length = algorithm === 'sha256' ? 64 : 32;
  const m = new RegExp(`(?:^|\\n)\\s*([0-9a-fA-F]{${length}})\\b`).exec(output);
  return m ? m[1]!.toLowerCase() : null;
}

/** Characters per base64 line in a streamed file: short enough for any tty's line limit. */
export const BASE64_LINE = 3072;

/** Every file's digest from one `sha256sum a b c` (or md5sum) run; null for a file it could not read. */
export function parseDigests(
  output: string,
  paths: readonly string[],
  algorithm: 'sha256' | 'md5',
): Array<string | null> {
  const length = algorithm === 'sha256' ? 64 : 32;
  const found = new Map<string, string>();
  for (const line of output.split('\n')) {
    const m = new RegExp(`^\\s*\\\\?([0-9a-fA-F]{${length}})\\s[ *](.*)$`).exec(line);
    if (m) found.set(m[2]!.trim(), m[1]!.toLowerCase());
  }
  return paths.map((p) => found.get(p) ?? null);
}

/**
 * Shell functions the session defines once after login (POSIX sh, no arrays), so a file set costs
 * one short command line and ONE here-document however many files it holds:
 *
 *   __lsw ENC DIR MODE SIZE PATH [MODE SIZE PATH ...] <<'TAG'
 *
 * decodes the here-document (base64, then gunzip when ENC is `z`) into DIR/.lineside-set (0600),
 * cuts each file's SIZE bytes out of it in order into PATH.lineside-part (0600), renames every part
 * into place with its MODE only once all are cut, and prints ONE read-back line: the digest of what
 * `sha256sum PATH...` (or md5sum) prints for the stored files, which the station computes the same
 * way (setListingDigest). Everything runs in a subshell: the console's cwd and umask are unchanged.
 * Needs base64, head and tail (gzip for ENC `z`).
 */
export function setupFunctions(algorithm: 'sha256' | 'md5' | null): string {
  // Fork-lean (each process costs milliseconds on a small unit): one mkdir and one checksum run for
  // the whole set (the positional parameters rotated to the paths), chmod only where the mode is not
  // the part file's 0600.
  const listing = algorithm ? ` && __lsl "$@" | ${algorithm}sum` : '';
  return [
    `__lsd() { k=$(($# / 3)); while [ $k -gt 0 ]; do p="./$3"; set -- "$@" "\${p%/*}"; shift 3; k=$((k - 1)); done; mkdir -p "$@"; }`,
    `__lsc() { o=1; while [ $# -gt 0 ]; do tail -c +$o .lineside-set | head -c $2 > "$3.lineside-part" || return 1; o=$((o + $2)); shift 3; done; }`,
    `__lsr() { while [ $# -gt 0 ]; do { [ "$1" = 600 ] || chmod $1 "$3.lineside-part"; } && mv -f "$3.lineside-part" "$3" || return 1; shift 3; done; }`,
    algorithm
      ? `__lsl() { k=$(($# / 3)); while [ $k -gt 0 ]; do set -- "$@" "$3"; shift 3; k=$((k - 1)); done; ${algorithm}sum "$@"; }`
      : '',
    `__lsw() ( e=$1; mkdir -p "$2" && cd "$2" || exit 1; shift 2; __lsd "$@" || exit 1; umask 077; if [ "$e" = z ]; then base64 -d | gzip -dc; else base64 -d; fi > .lineside-set && __lsc "$@" && __lsr "$@" && rm -f .lineside-set${listing} )`,
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * The command line and the one here-document for a whole file set (see setupFunctions): the files'
 * bytes back to back, gzipped as one stream when the unit has gzip and it is smaller, base64 in
 * lines well under the tty's limit. The here-document's tag holds `_`, which base64 never does, so
 * no data line can end it early. Printable ASCII and line ends only. Paths relative to `dir`.
 */
export function streamSet(
  dir: string,
  files: ReadonlyArray<{ path: string; content: Buffer; mode: number }>,
  tag: string,
  options: { gzip: boolean },
): { command: string; body: string } {
  const plain = Buffer.concat(files.map((f) => f.content));
  const packed = options.gzip ? gzipSync(plain, { level: 9 }) : null;
  const zipped = packed !== null && packed.length < plain.length;
  const b64 = (zipped ? packed : plain).toString('base64');
  const lines: string[] = [];
  for (let at = 0; at < b64.length; at += BASE64_LINE) lines.push(b64.slice(at, at + BASE64_LINE));
  lines.push(tag);
  const args = files.map((f) => `${(f.mode & 0o777).toString(8)} ${f.content.length} ${shq(f.path)}`);
  return {
    command: `__lsw ${zipped ? 'z' : 'p'} ${shq(dir)} ${args.join(' ')} <<'${tag}'`,
    body: lines.join('\r') + '\r',
  };
}
/** What `sha256sum a b c | sha256sum` prints for these contents: the digest of the listing. */
export function setListingDigest(
  files: ReadonlyArray<{ path: string; content: Buffer }>,
  algorithm: 'sha256' | 'md5',
): string {
  const listing = files
    .map((f) => `${createHash(algorithm).update(f.content).digest('hex')}  ${f.path}\n`)
    .join('');
  return createHash(algorithm).update(listing).digest('hex');
}
