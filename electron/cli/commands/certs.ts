import fs from 'node:fs';
import path from 'node:path';
import type { CertificatePolicy, DeviceCertificateReport, RevocationReason } from '../../shared/contract';
import { certificatePolicySchema } from '../../core/certs';
import { EXIT } from '../exitCodes';
import { stringOption, type Command, type ParsedArgs } from '../command';
import * as specs from './specs';
import { unlockFromArgs } from './ca';
import { MiB, readBoundedText } from '../../core/boundedRead';

function describeCert(c: DeviceCertificateReport): string {
  return [
    `${c.claimId}  serial ${c.serial}  ${c.keyType} (${c.keySource} key)${c.revokedAt ? `  REVOKED ${c.revokedAt}` : ''}`,
    `  fingerprint ${c.fingerprint}`,
    `  valid to ${c.notAfter}`,
  ].join('\n');
}

function policyFrom(args: ParsedArgs, keySource: 'host' | 'device'): CertificatePolicy {
  return certificatePolicySchema.parse({
    keyType: stringOption(args, 'key-type') ?? 'ec-p256',
    keySource,
    validityDays: Number(stringOption(args, 'days') ?? 3650),
    subject: {
      ...(stringOption(args, 'org') ? { O: stringOption(args, 'org') } : {}),
      ...(stringOption(args, 'ou') ? { OU: stringOption(args, 'ou') } : {}),
    },
    escrow: args.values.escrow === true,
  });
}

export const certsIssueCommand: Command = {
  ...specs.certsIssue,
  async run(ctx, args) {
    const claimId = args.positionals[0];
    const out = stringOption(args, 'out');
    if (!claimId || !out) {
      ctx.io.stderr(`Usage: lineside certs issue ${this.usage}`);
      return EXIT.usage;
    }
    const locked = await unlockFromArgs(ctx, args);
    if (locked !== null) return locked;
    fs.mkdirSync(out, { recursive: true });
    const csrFile = stringOption(args, 'csr');
    if (csrFile) {
      const result = await ctx.call('signCsr', {
        claimId,
        csrPem: readBoundedText(csrFile, { what: 'certificate request', maxBytes: MiB }),
        ...(stringOption(args, 'key-type') ? { policy: policyFrom(args, 'device') } : {}),
      });
      if (result.ok)
        fs.writeFileSync(path.join(out, 'ioto.crt'), result.value.certificatePem, { mode: 0o600 });
      return ctx.report(result, (c) => `${describeCert(c)}\nWrote ${path.join(out, 'ioto.crt')}`);
    }
    // The host-generated key goes straight to a file: it never passes through the dispatcher.
    const issued = await ctx.services().certs.issueWithHostKey(claimId, policyFrom(args, 'host'));
    // Both 0600, as the agent expects its certificate files (ioto-contracts.md §1).
    fs.writeFileSync(path.join(out, 'ioto.crt'), issued.certificatePem, { mode: 0o600 });
    const keyFile = path.join(out, 'ioto.key');
    fs.writeFileSync(keyFile, issued.keyPem, { mode: 0o600 });
    fs.chmodSync(keyFile, 0o600);
    return ctx.report(
      { ok: true, value: issued.record },
      (c) => `${describeCert(c)}\nWrote ioto.crt and ioto.key to ${out}`,
    );
  },
};

export const certsRevokeCommand: Command = {
  ...specs.certsRevoke,
  async run(ctx, args) {
    const claimId = args.positionals[0];
    if (!claimId) {
      ctx.io.stderr(`Usage: lineside certs revoke ${this.usage}`);
      return EXIT.usage;
    }
    const result = await ctx.call('revokeCertificate', {
      claimId,
      serial: stringOption(args, 'serial'),
      reason: stringOption(args, 'reason') as RevocationReason | undefined,
    });
    return ctx.report(result, (list) => list.map(describeCert).join('\n'));
  },
};

export const certsCrlCommand: Command = {
  ...specs.certsCrl,
  async run(ctx, args) {
    const locked = await unlockFromArgs(ctx, args);
    if (locked !== null) return locked;
    const days = stringOption(args, 'days');
    const result = await ctx.call('exportCrl', days ? { nextUpdateDays: Number(days) } : {});
    const out = stringOption(args, 'out');
    if (result.ok && out) fs.writeFileSync(out, result.value.crlPem);
    return ctx.report(result, (crl) =>
      out
        ? `CRL #${crl.crlNumber} with ${crl.revokedCount} revoked, next update ${crl.nextUpdate}: wrote ${out}`
        : crl.crlPem.trimEnd(),
    );
  },
};

export const certsListCommand: Command = {
  ...specs.certsList,
  async run(ctx, args) {
    const format = stringOption(args, 'export');
    if (format === 'csv' || format === 'json') {
      const result = await ctx.call('exportCertificates', { format });
      const out = stringOption(args, 'out');
      if (result.ok && out) fs.writeFileSync(out, result.value.text);
      return ctx.report(result, (r) => (out ? `Wrote ${r.count} certificates to ${out}` : r.text.trimEnd()));
    }
    const limit = stringOption(args, 'limit');
    const result = await ctx.call('listCertificates', {
      claimId: stringOption(args, 'claim-id'),
      ...(limit ? { limit: Number(limit) } : {}),
    });
    return ctx.report(result, (list) =>
      list.length ? list.map(describeCert).join('\n') : 'No certificates issued yet.',
    );
  },
};
