import type { CaStatusReport, CertKeyType, ImportCaRequest } from '../../shared/contract';
import { EXIT } from '../exitCodes';
import { stringOption, type Command, type ParsedArgs } from '../command';
import type { CommandContext } from '../context';
import { MiB, readBoundedFile, readBoundedText } from '../../core/boundedRead';

const PASSPHRASE_HELP = 'The CA passphrase comes from --passphrase-file F or LINESIDE_CA_PASSPHRASE.';

/** The CA passphrase for a scripted station: a file (first line) or the environment, never an argument. */
export function readPassphrase(args: ParsedArgs): string | null {
  const file = stringOption(args, 'passphrase-file');
  if (file)
    return readBoundedText(file, { what: 'passphrase file', maxBytes: 64 * 1024 }).split(/\r?\n/)[0] ?? '';
  return process.env.LINESIDE_CA_PASSPHRASE ?? null;
}

export const passphraseOption = { 'passphrase-file': { type: 'string' } } as const;

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
  name: 'ca status',
  summary: 'The factory CA: subject, fingerprint, expiry, lock state',
  async run(ctx) {
    return ctx.report(await ctx.call('getCaStatus', undefined), describeCa);
  },
};

export const caCreateCommand: Command = {
  name: 'ca create',
  summary: 'Create the factory CA (key stored encrypted with the passphrase)',
  usage: `--cn NAME [--org O] [--key-type ec-p256|rsa2048|rsa3072] [--days N] [--replace]. ${PASSPHRASE_HELP}`,
  options: {
    cn: { type: 'string' },
    org: { type: 'string' },
    'key-type': { type: 'string' },
    days: { type: 'string' },
    replace: { type: 'boolean' },
    ...passphraseOption,
  },
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
  name: 'ca import',
  summary: 'Import an existing CA from PEM (--cert, --key) or PKCS#12 (--p12)',
  usage: `(--cert F --key F [--key-password-file F] | --p12 F [--p12-password-file F]) [--replace]. ${PASSPHRASE_HELP}`,
  options: {
    cert: { type: 'string' },
    key: { type: 'string' },
    'key-password-file': { type: 'string' },
    p12: { type: 'string' },
    'p12-password-file': { type: 'string' },
    replace: { type: 'boolean' },
    ...passphraseOption,
  },
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
