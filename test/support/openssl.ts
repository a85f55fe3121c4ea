/** The `openssl` CLI, as an outside judge of what Lineside issues and as the maker of test CSRs and CAs. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface OpensslRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function openssl(args: string[], options: { cwd?: string; input?: string | Buffer } = {}): OpensslRun {
  const run = spawnSync('openssl', args, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.error) throw run.error;
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

export function mustOpenssl(args: string[], options: { cwd?: string; input?: string } = {}): string {
  const run = openssl(args, options);
  if (run.code !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

export type DeviceKeyType = 'rsa2048' | 'rsa3072' | 'ec-p256';

export function genkeyArgs(type: DeviceKeyType): string[] {
  return type === 'ec-p256'
    ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']
    : ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${type === 'rsa2048' ? 2048 : 3072}`];
}

/** A unit that makes its own key: `openssl req` the way a Linux unit's shell would. */
export function makeCsr(
  dir: string,
  name: string,
  type: DeviceKeyType,
  subject: string,
): { csrPem: string; keyFile: string } {
  const keyFile = path.join(dir, `${name}.key`);
  const csrFile = path.join(dir, `${name}.csr`);
  mustOpenssl(['genpkey', ...genkeyArgs(type), '-out', keyFile]);
  mustOpenssl(['req', '-new', '-key', keyFile, '-subj', subject, '-out', csrFile]);
  return { csrPem: fs.readFileSync(csrFile, 'utf8'), keyFile };
}

/** A CA made entirely by openssl (for import, and as "another CA" the broker must refuse). */
export function makeOpensslCa(
  dir: string,
  name: string,
  type: DeviceKeyType,
  keyPassword?: string,
): { certFile: string; keyFile: string } {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.crt`);
  mustOpenssl([
    'genpkey',
    ...genkeyArgs(type),
    ...(keyPassword ? ['-aes-256-cbc', '-pass', `pass:${keyPassword}`] : []),
    '-out',
    keyFile,
  ]);
  mustOpenssl([
    'req',
    '-x509',
    '-new',
    '-key',
    keyFile,
    ...(keyPassword ? ['-passin', `pass:${keyPassword}`] : []),
    '-subj',
    `/O=Elsewhere/CN=${name}`,
    '-days',
    '365',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    certFile,
  ]);
  return { certFile, keyFile };
}

/** A leaf signed by a CA with openssl (`req -x509 -CA`), e.g. the broker's server certificate. */
export function makeLeaf(
  dir: string,
  name: string,
  ca: { certFile: string; keyFile: string; password?: string },
  options: { type?: DeviceKeyType; cn: string; ext: string[] },
): { certFile: string; keyFile: string } {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.crt`);
  mustOpenssl(['genpkey', ...genkeyArgs(options.type ?? 'ec-p256'), '-out', keyFile]);
  mustOpenssl([
    'req',
    '-x509',
    '-new',
    '-key',
    keyFile,
    '-subj',
    `/CN=${options.cn}`,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    ...(ca.password ? ['-passin', `pass:${ca.password}`] : []),
    '-days',
    '30',
    ...options.ext.flatMap((e) => ['-addext', e]),
    '-out',
    certFile,
  ]);
  return { certFile, keyFile };
}
