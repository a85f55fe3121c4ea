/** Test CAs and certificates made with the openssl CLI, in a given directory. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function makeCa(dir: string, name: string, days = 365): { crt: string; key: string } {
  const key = path.join(dir, `${name}.key`);
  const crt = path.join(dir, `${name}.crt`);
  openssl(dir, [
    'req',
    '-x509',
    ...EC,
    '-keyout',
    key,
    '-out',
    crt,
    '-days',
    String(days),
    '-subj',
    `/CN=${name}`,
  ]);
  return { crt, key };
}

export function makeCert(
  dir: string,
  ca: { crt: string; key: string },
  name: string,
  options: { cn: string; days?: number; san?: string },
): { crt: string; key: string } {
  const key = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  const crt = path.join(dir, `${name}.crt`);
  openssl(dir, ['req', ...EC, '-keyout', key, '-out', csr, '-subj', `/CN=${options.cn}/O=Lineside Test`]);
  const ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(ext, options.san ? `subjectAltName=${options.san}\n` : 'basicConstraints=CA:FALSE\n');
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.crt,
    '-CAkey',
    ca.key,
    '-CAcreateserial',
    '-out',
    crt,
    '-days',
    String(options.days ?? 365),
    '-extfile',
    ext,
  ]);
  fs.chmodSync(key, 0o600);
  return { crt, key };
}
