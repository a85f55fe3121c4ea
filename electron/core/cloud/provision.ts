import JSON5 from 'json5';
import { Failure } from '../failure';
import type { DeviceFile } from '../transport/types';

/** The keys the agent reads from provision.json5 (ioto-contracts §1), in the order we write them. */
export const PROVISION_KEYS = [
  'id',
  'registered',
  'api',
  'token',
  'accountId',
  'cloud',
  'cloudType',
  'cloudName',
  'cloudRegion',
  'endpoint',
  'port',
  'certificate',
  'key',
] as const;

/** A claimed register answer as the agent's provision.json5; `id` is always the unit's claim ID. */
export function renderProvision(claimId: string, answer: Record<string, unknown>): string {
  if (answer.id !== undefined && answer.id !== claimId) {
    throw new Failure(
      'protocol',
      `The cloud answered for device ${String(answer.id)} when registering ${claimId}; not writing its provision file.`,
    );
  }
  const out: Record<string, unknown> = {};
  for (const key of PROVISION_KEYS) {
    if (key === 'id') out.id = claimId;
    else if (answer[key] !== undefined) out[key] = answer[key];
  }
  return JSON5.stringify(out, null, 2) + '\n';
}

/** What the station pushes next to device.json5 for a pre-claimed unit. */
export function provisionFile(claimId: string, answer: Record<string, unknown>): DeviceFile {
  return {
    path: 'config/provision.json5',
    content: Buffer.from(renderProvision(claimId, answer), 'utf8'),
    mode: 0o600,
  };
}
