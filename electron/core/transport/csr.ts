/** Helpers shared by the transports that ask a unit for a certificate request (CSR). */
import type { CsrRequest } from './types';

/** PEM armour for a PKCS#10 request a unit returned as DER (framed CSR replies). */
export function pemFromDer(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}

/** `openssl req -subj` text: `/CN=<claim ID>/O=../OU=..`, with `/ + = \` escaped by a backslash. */
export function opensslSubject(request: Pick<CsrRequest, 'claimId' | 'subject'>): string {
  const esc = (v: string) => v.replace(/[\\/+=]/g, (c) => `\\${c}`);
  const parts: Array<[string, string | undefined]> = [
    ['CN', request.claimId],
    ['O', request.subject.O],
    ['OU', request.subject.OU],
  ];
  return parts
    .filter((p): p is [string, string] => typeof p[1] === 'string' && p[1] !== '')
    .map(([k, v]) => `/${k}=${esc(v)}`)
    .join('');
}
