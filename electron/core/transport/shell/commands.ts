/** Shell command text for the console transport: quoting, chunk encodings, hash parsing. */

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
