/**
 * `openssl req` on a Linux unit's shell: the unit makes its own key pair into certs/ioto.key
 * (mode 0600, written under a temporary name and renamed, so a failed run never leaves a half key)
 * and prints the request, which the station reads back through the console. The key never leaves
 * the unit.
 */
import { opensslSubject } from '../csr';
import type { CsrRequest } from '../types';
import { dirnameOf, shq } from './commands';

/** How long `openssl req` may take on a slow unit (RSA key generation). */
export const CSR_TIMEOUT_MS = 60_000;

export function csrCommand(request: CsrRequest, keyFile: string): string {
  const newkey =
    request.keyType === 'ec-p256'
      ? '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1'
      : `-newkey rsa:${request.keyType === 'rsa3072' ? 3072 : 2048}`;
  const part = shq(`${keyFile}.lineside-part`);
  const csr = shq(`${keyFile}.csr.lineside-part`);
  const err = shq(`${keyFile}.err.lineside-part`);
  // A subshell, so the umask stays local and a failure ends it with a non-zero status.
  return [
    `(umask 077 && mkdir -p ${shq(dirnameOf(keyFile))}`,
    `&& { openssl req -new ${newkey} -nodes -utf8 -keyout ${part} -subj ${shq(opensslSubject(request))} -out ${csr} 2>${err}`,
    `|| { cat ${err}; rm -f ${part} ${csr} ${err}; false; }; }`,
    `&& chmod 600 ${part} && mv -f ${part} ${shq(keyFile)} && cat ${csr} && rm -f ${csr} ${err})`,
  ].join(' ');
}

/** The PEM request in the console output (openssl may print progress around it), or null. */
export function extractCsr(output: string): string | null {
  const m =
    /-----BEGIN (NEW )?CERTIFICATE REQUEST-----\n[A-Za-z0-9+/=\n]+-----END (NEW )?CERTIFICATE REQUEST-----/.exec(
      output,
    );
  return m ? `${m[0]}\n` : null;
}
