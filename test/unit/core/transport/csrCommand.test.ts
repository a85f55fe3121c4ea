import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCsr } from '../../../../electron/core/certs';
import { opensslSubject, pemFromDer } from '../../../../electron/core/transport/csr';
import { csrCommand, extractCsr } from '../../../../electron/core/transport/shell/csr';
import { makeTempDir } from '../../../support/tempDir';

describe('the CSR command a Linux unit runs', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('escapes subject values for openssl -subj', () => {
    expect(opensslSubject({ claimId: 'M72DANY8BZ', subject: { O: 'A/B+C=D\\E', OU: '' } })).toBe(
      '/CN=M72DANY8BZ/O=A\\/B\\+C\\=D\\\\E',
    );
  });

  it('makes the key 0600 under its final name and prints a request for it, with awkward subject text', () => {
    const temp = makeTempDir('lineside-csrcmd-');
    cleanups.push(temp.cleanup);
    const keyFile = path.join(temp.dir, "state dir/it's/certs/ioto.key");
    const request = {
      claimId: 'M72DANY8BZ',
      keyType: 'ec-p256' as const,
      subject: { O: "Acme / Sensors + 'Co' = $HOME", OU: 'Línea 3' },
    };
    const output = execFileSync('/bin/sh', ['-c', csrCommand(request, keyFile)], { encoding: 'utf8' });
    const pem = extractCsr(output);
    expect(pem).not.toBeNull();
    const csr = checkCsr(pem!);
    expect(csr.commonName).toBe('M72DANY8BZ');
    expect(csr.subject).toContain("O=Acme / Sensors + 'Co' = $HOME");
    expect(csr.subject).toContain('OU=Línea 3');
    expect(csr.keyType).toBe('ec-p256');
    expect((fs.statSync(keyFile).mode & 0o777).toString(8)).toBe('600');
    const spki = (k: ReturnType<typeof createPublicKey>) => k.export({ type: 'spki', format: 'der' });
    expect(
      spki(createPublicKey(createPrivateKey(fs.readFileSync(keyFile)))).equals(spki(csr.publicKey)),
    ).toBe(true);
    expect(fs.readdirSync(path.dirname(keyFile))).toEqual(['ioto.key']);
    // DER from a framed unit, armoured by the station, reads the same.
    const der = Buffer.from(pem!.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(pemFromDer(der)).toBe(pem);
  });

  it('a failing openssl leaves no key and no temporary files, and says why', () => {
    const temp = makeTempDir('lineside-csrcmd-');
    cleanups.push(temp.cleanup);
    const keyFile = path.join(temp.dir, 'certs/ioto.key');
    const bad = { claimId: 'M72DANY8BZ', keyType: 'ec-p256' as const, subject: {} };
    const command = csrCommand(bad, keyFile).replace(
      'ec_paramgen_curve:prime256v1',
      'ec_paramgen_curve:nope',
    );
    let out = '';
    try {
      execFileSync('/bin/sh', ['-c', command], { encoding: 'utf8' });
    } catch (error) {
      out = String((error as { stdout?: string }).stdout);
    }
    expect(out).toMatch(/nope|curve|error/i);
    expect(extractCsr(out)).toBeNull();
    expect(fs.readdirSync(path.join(temp.dir, 'certs'))).toEqual([]);
  });
});
