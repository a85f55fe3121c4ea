import { maskToken } from '../device-config/render';
/**
 * A unit's identity files read back (device.json5, provision.json5, certs/ioto.crt) and checked
 * against the agent's rules (ioto-contracts.md §1) and the station's record of the unit.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import type {
  CertificateInfo,
  DiagnosticWarning,
  IdentityComparisonRow,
  IdentityReport,
  UnitSummary,
} from '../../shared/contract';
import { Failure } from '../failure';

const EXPIRY_WARNING_DAYS = 30;

export interface IdentityFiles {
  deviceJson5: string | null;
  provisionJson5: string | null;
  certificatePem: string | null;
  /** File mode of certs/ioto.key, when read from a folder. */
  keyMode: number | null;
}

function readIfThere(file: string): string | null {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

/** Finds the files from a state directory, its config directory, or a folder holding them flat. */
export function readIdentityFiles(dir: string): IdentityFiles {
  if (!fs.existsSync(dir)) throw new Failure('not-found', `No folder ${dir}: check the path.`);
  const configDir = [path.join(dir, 'config'), dir].find((d) => fs.existsSync(path.join(d, 'device.json5')));
  if (!configDir)
    throw new Failure(
      'not-found',
      `No device.json5 in ${dir} or its config/ folder: point at the unit's state or config folder.`,
    );
  const stateDir = path.basename(configDir) === 'config' ? path.dirname(configDir) : dir;
  const certsDir = [path.join(stateDir, 'certs'), configDir].find((d) =>
    fs.existsSync(path.join(d, 'ioto.crt')),
  );
  const keyFile = certsDir ? path.join(certsDir, 'ioto.key') : null;
  return {
    deviceJson5: readIfThere(path.join(configDir, 'device.json5')),
    provisionJson5: readIfThere(path.join(configDir, 'provision.json5')),
    certificatePem: certsDir ? readIfThere(path.join(certsDir, 'ioto.crt')) : null,
    keyMode: keyFile && fs.existsSync(keyFile) ? fs.statSync(keyFile).mode & 0o777 : null,
  };
}

function parseJson5(
  text: string | null,
  name: string,
  warnings: DiagnosticWarning[],
): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON5.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
    warnings.push({ severity: 'error', message: `${name} is not an object: the agent cannot read it.` });
  } catch (error) {
    warnings.push({
      severity: 'error',
      message: `${name} is not valid JSON5 (${(error as Error).message}): the agent cannot read it.`,
    });
  }
  return null;
}

export function certificateInfo(pem: string, now: Date): CertificateInfo {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (error) {
    throw new Failure(
      'corrupt-file',
      'The certificate ioto.crt cannot be read: it is not a PEM certificate.',
      {
        detail: (error as Error).message,
      },
    );
  }
  const validTo = new Date(cert.validTo);
  return {
    subject: cert.subject.split('\n').join(', '),
    issuer: cert.issuer.split('\n').join(', '),
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: validTo.toISOString(),
    fingerprint256: cert.fingerprint256,
    serialNumber: cert.serialNumber,
    daysLeft: Math.floor((validTo.getTime() - now.getTime()) / 86_400_000),
  };
}

function certificateWarnings(info: CertificateInfo, now: Date): DiagnosticWarning[] {
  const out: DiagnosticWarning[] = [];
  if (new Date(info.validTo) <= now)
    out.push({
      severity: 'error',
      message: `The certificate expired on ${info.validTo.slice(0, 10)}: the broker will refuse the unit.`,
    });
  else if (info.daysLeft < EXPIRY_WARNING_DAYS)
    out.push({
      severity: 'warning',
      message: `The certificate expires in ${info.daysLeft} days (${info.validTo.slice(0, 10)}).`,
    });
  if (new Date(info.validFrom) > now)
    out.push({
      severity: 'error',
      message: `The certificate is not valid before ${info.validFrom}: check the unit's clock.`,
    });
  return out;
}

export function inspectIdentity(
  files: IdentityFiles,
  options: {
    now: Date;
    deviceTime?: string;
    stationUnit: (claimId: string) => UnitSummary | null;
    stationFingerprint: (claimId: string) => string | null;
  },
): IdentityReport {
  const warnings: DiagnosticWarning[] = [];
  const device = parseJson5(files.deviceJson5, 'device.json5', warnings);
  const provision = parseJson5(files.provisionJson5, 'provision.json5', warnings);
  if (files.deviceJson5 === null)
    warnings.push({ severity: 'error', message: 'device.json5 is missing: the agent will not start.' });
  if (device) {
    const product = device.product;
    if (typeof product !== 'string' || product === '' || product === 'PUT-YOUR-PRODUCT-ID-HERE')
      warnings.push({
        severity: 'error',
        message: 'device.json5 has no product token: the agent refuses to start.',
      });
    const id = device.id;
    if (id === 'auto' || id === undefined)
      warnings.push({
        severity: 'warning',
        message: 'device.json5 has no fixed claim ID: the agent may ask for a new one after a reboot.',
      });
    else if (typeof id !== 'string' || !/^[0-9A-Z]{1,20}$/.test(id))
      warnings.push({
        severity: 'error',
        message: `The claim ID ${JSON.stringify(id)} is not 1 to 20 characters of 0-9 and A-Z.`,
      });
  }
  if (provision && device && provision.id !== undefined && provision.id !== device.id)
    warnings.push({
      severity: 'error',
      message: `provision.json5 is for ${String(provision.id)} but device.json5 is ${String(device.id)}: the agent will deprovision itself.`,
    });
  const certificate = files.certificatePem ? certificateInfo(files.certificatePem, options.now) : null;
  if (certificate) warnings.push(...certificateWarnings(certificate, options.now));
  if (files.keyMode !== null && (files.keyMode & 0o077) !== 0)
    warnings.push({
      severity: 'warning',
      message: `certs/ioto.key is readable by others (mode ${files.keyMode.toString(8)}): it should be 600.`,
    });

  let clockSkewMs: number | null = null;
  if (options.deviceTime) {
    const t = Date.parse(options.deviceTime);
    if (Number.isNaN(t))
      throw new Failure('validation', 'The device time is not a date.', { field: 'deviceTime' });
    clockSkewMs = t - options.now.getTime();
    if (Math.abs(clockSkewMs) > 60_000)
      warnings.push({
        severity: Math.abs(clockSkewMs) > 3_600_000 ? 'error' : 'warning',
        message: `The unit's clock is ${Math.round(Math.abs(clockSkewMs) / 1000)} s ${clockSkewMs > 0 ? 'ahead of' : 'behind'} the station: TLS and sync need a correct clock.`,
      });
  }

  let comparison: IdentityComparisonRow[] | null = null;
  const claimId = typeof device?.id === 'string' ? device.id : null;
  const unit = claimId ? options.stationUnit(claimId) : null;
  if (claimId && unit) {
    const deviceHash = typeof device?.profileHash === 'string' ? device.profileHash : null;
    const stationPrint = options.stationFingerprint(claimId);
    const row = (
      field: IdentityComparisonRow['field'],
      station: string | null,
      dev: string | null,
    ): IdentityComparisonRow => ({
      field,
      station,
      device: dev,
      match: station === null || dev === null ? null : station.toUpperCase() === dev.toUpperCase(),
    });
    comparison = [
      row('claim ID', unit.claimId, claimId),
      row('profile hash', unit.profileHash, deviceHash),
      row('certificate fingerprint', stationPrint, certificate?.fingerprint256 ?? null),
    ];
    for (const r of comparison)
      if (r.match === false)
        warnings.push({
          severity: 'error',
          message: `The unit's ${r.field} differs from the station's record.`,
        });
  } else if (claimId) {
    warnings.push({ severity: 'warning', message: `This station has no record of ${claimId}.` });
  }
  return {
    device: masked(device, 'product'),
    provision: masked(provision, 'token'),
    certificate,
    clockSkewMs,
    warnings,
    comparison,
  };
}

/** The renderer sees identity files with their secrets masked (product token, provision token). */
function masked(value: Record<string, unknown> | null, key: string): Record<string, unknown> | null {
  if (!value || typeof value[key] !== 'string') return value;
  return { ...value, [key]: maskToken(value[key]) };
}
