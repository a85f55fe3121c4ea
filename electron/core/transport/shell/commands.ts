/** Shell command text for the console transport: quoting, chunk encodings, hash parsing. */
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
 * Raw bytes per chunk. A console line must stay well under the tty's 4095-byte canonical limit:
 * base64 makes 768 bytes 1024 characters; printf octal escapes make 200 bytes 800.
 */
export const BASE64_CHUNK = 768;
export const PRINTF_CHUNK = 200;

export function base64Append(chunk: Buffer, target: string): string {
  return `printf %s ${chunk.toString('base64')} | base64 -d >> ${shq(target)}`;
}

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
export const BASE64_LINE = 1024;

/**
 * One console command that writes every file in a single pass, the files' bytes following as
 * here-documents of base64 lines (`base64 -d > part <<'TAG'` per file): no round trip per chunk.
 * Each file goes to `<target>.lineside-part` (0600 while incomplete), gets its mode and is renamed
 * into place only when its bytes are in. Returns the command line and the here-document bodies;
 * the console carries printable ASCII and line ends only. `tag` must be unique per command.
 */
export function streamWrite(
  files: ReadonlyArray<{ target: string; content: Buffer; mode: number }>,
  tag: string,
): { command: string; bodies: string[] } {
  const steps: string[] = [];
  const bodies: string[] = [];
  const dirs = [...new Set(files.map((f) => dirnameOf(f.target)))];
  steps.push(`mkdir -p ${dirs.map(shq).join(' ')}`);
  files.forEach((f, i) => {
    const part = `${f.target}.lineside-part`;
    const end = `${tag}_${i}`;
    // umask in a subshell: the part file is 0600 from its first byte, the shell's umask unchanged.
    steps.push(`( umask 077 && base64 -d > ${shq(part)} ) <<'${end}'`);
    const b64 = f.content.toString('base64');
    const lines: string[] = [];
    for (let at = 0; at < b64.length; at += BASE64_LINE) lines.push(b64.slice(at, at + BASE64_LINE));
    lines.push(end);
    bodies.push(lines.join('\r') + '\r');
  });
  for (const f of files) {
    const part = `${f.target}.lineside-part`;
    steps.push(`chmod ${(f.mode & 0o777).toString(8)} ${shq(part)} && mv -f ${shq(part)} ${shq(f.target)}`);
  }
  return { command: steps.join(' && '), bodies };
}

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
