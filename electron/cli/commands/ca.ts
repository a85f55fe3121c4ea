import type { CaStatusReport, CertKeyType, ImportCaRequest } from '../../shared/contract';
import { EXIT } from '../exitCodes';
import { stringOption, type Command, type ParsedArgs } from '../command';
import * as specs from './specs';
import { PASSPHRASE_HELP } from './specs';
import type { CommandContext } from '../context';
import { MiB, readBoundedFile, readBoundedText } from '../../core/boundedRead';

/** The CA passphrase for a scripted station: a file (first line) or the environment, never an argument. */
export function readPassphrase(args: ParsedArgs): string | null {
  const file = stringOption(args, 'passphrase-file');
  if (file)
    return readBoundedText(file, { what: 'passphrase file', maxBytes: 64 * 1024 }).split(/\r?\n/)[0] ?? '';
  return process.env.LINESIDE_CA_PASSPHRASE ?? null;
}

/** Unlocks the CA in this process; returns an exit code when it could not. */
export async function unlockFromArgs(ctx: CommandContext, args: ParsedArgs): Promise<number | null> {
  const passphrase = readPassphrase(args);
  if (passphrase === null) {
    ctx.io.stderr(`The factory CA is locked. ${PASSPHRASE_HELP}`);
    return EXIT.usage;
  }
  const result = await ctx.call('unlockCa', { passphrase });
  return result.ok ? null : ctx.report(result, () => '');
}

export function describeCa(s: CaStatusReport): string {
  if (!s.ca) return 'No factory CA on this station. Create one: lineside ca create --cn "Acme Factory CA"';
  return [
    `Factory CA: ${s.ca.subject} (${s.ca.keyType}), ${s.state}`,
    `Fingerprint (SHA-256): ${s.ca.fingerprint}`,
    `Valid ${s.ca.notBefore.slice(0, 10)} to ${s.ca.notAfter.slice(0, 10)} (${s.ca.daysLeft} days left)`,
    ...(s.warning ? [`WARNING: ${s.warning}`] : []),
  ].join('\n');
}

export const caStatusCommand: Command = {
  ...specs.caStatus,
  async run(ctx) {
    return ctx.report(await ctx.call('getCaStatus', undefined), describeCa);
  },
};

export const caCreateCommand: Command = {
  ...specs.caCreate,
  async run(ctx, args) {
    const passphrase = readPassphrase(args);
    const commonName = stringOption(args, 'cn');
    if (!commonName || passphrase === null) {
      ctx.io.stderr(`Usage: lineside ca create ${this.usage}`);
      return EXIT.usage;
    }
    const org = stringOption(args, 'org');
    const result = await ctx.call('createCa', {
      commonName,
      ...(org ? { organization: org } : {}),
      keyType: (stringOption(args, 'key-type') ?? 'ec-p256') as CertKeyType,
      validityDays: Number(stringOption(args, 'days') ?? 3650),
      passphrase,
      replace: args.values.replace === true,
    });
    return ctx.report(result, describeCa);
  },
};

export const caImportCommand: Command = {
  ...specs.caImport,
  async run(ctx, args) {
    const passphrase = readPassphrase(args);
    const firstLine = (name: string) => {
      const file = stringOption(args, name);
      return file
        ? (readBoundedText(file, { what: 'passphrase file', maxBytes: 64 * 1024 }).split(/\r?\n/)[0] ?? '')
        : undefined;
    };
    const cert = stringOption(args, 'cert');
    const key = stringOption(args, 'key');
    const p12 = stringOption(args, 'p12');
    if (passphrase === null || (!p12 && (!cert || !key))) {
      ctx.io.stderr(`Usage: lineside ca import ${this.usage}`);
      return EXIT.usage;
    }
    const replace = args.values.replace === true;
    const request: ImportCaRequest = p12
      ? {
          format: 'pkcs12',
          pkcs12Base64: readBoundedFile(p12, { what: 'PKCS#12 file', maxBytes: MiB }).toString('base64'),
          pkcs12Password: firstLine('p12-password-file') ?? '',
          passphrase,
          replace,
        }
      : {
          format: 'pem',
          certificatePem: readBoundedText(cert!, { what: 'certificate', maxBytes: MiB }),
          keyPem: readBoundedText(key!, { what: 'key', maxBytes: MiB }),
          keyPassword: firstLine('key-password-file'),
          passphrase,
          replace,
        };
    return ctx.report(await ctx.call('importCa', request), describeCa);
  },
};
