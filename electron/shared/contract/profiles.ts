import * as z from 'zod';
import { noArgs } from './fields';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';

/** One problem in a profile file, at its line and column, with what to do about it. */
export interface ProfileProblemReport {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the offending key; '' for the whole file. */
  path: string;
  message: string;
  hint: string | null;
}

export interface IdPolicyReport {
  alphabet: string;
  length: number;
  checkSymbol: boolean;
  /** Bits of randomness per ID. */
  entropyBits: number;
}

/**
 * A factory profile as the renderer may see it: the product token is a secret and only ever shown
 * masked (first 4 and last 4 characters), in the fields and in the text.
 */
export interface ProfileReport {
  name: string;
  source: 'factory' | 'station';
  file: string;
  /** sha256 of the exact file text: the profile version. */
  hash: string;
  valid: boolean;
  problems: ProfileProblemReport[];
  productName: string | null;
  model: string | null;
  description: string | null;
  test: boolean | null;
  productMasked: string | null;
  ids: IdPolicyReport | null;
  /** The file's text with the product token masked, for showing problems at their line. */
  text: string;
}

export interface ProfilesReport {
  profiles: ProfileReport[];
  /** This station refuses ID policies under this many bits. */
  entropyFloor: number;
}

export const checkProfileRequest = lazySchema(() =>
  z
    .object({
      /** The profile's JSON5 text. */
      text: z.string().max(1_000_000),
      /** Shown in problem locations. */
      file: z.string().max(500).optional(),
    })
    .strict(),
);
export type CheckProfileRequest = z.output<typeof checkProfileRequest>;

export interface ProfileCheckReport {
  valid: boolean;
  hash: string;
  problems: ProfileProblemReport[];
  ids: IdPolicyReport | null;
}

export const previewDeviceConfigRequest = lazySchema(() =>
  z
    .object({
      profile: z.string().trim().min(1, 'choose a profile').max(120),
      /** Sample values; defaults are drawn/filled for a sample unit. */
      claimId: z.string().trim().min(1).max(40).optional(),
      serial: z.string().trim().min(1).max(80).optional(),
      orderId: z.string().trim().min(1).max(40).optional(),
    })
    .strict(),
);
export type PreviewDeviceConfigRequest = z.output<typeof previewDeviceConfigRequest>;

export interface DeviceConfigPreviewReport {
  /** device.json5 as it would be written, product token masked. */
  text: string;
  claimId: string;
  serial: string;
  orderId: string;
}

export const profilesOperations = {
  listProfiles: op('profiles:list', noArgs).returns<ProfilesReport>(),
  checkProfile: op('profiles:check', checkProfileRequest).returns<ProfileCheckReport>(),
  previewDeviceConfig: op(
    'profiles:preview-device-config',
    previewDeviceConfigRequest,
  ).returns<DeviceConfigPreviewReport>(),
  setEntropyFloor: op(
    'profiles:set-entropy-floor',
    lazySchema(() => z.object({ bits: z.number().min(0).max(200) }).strict()),
  ).returns<ProfilesReport>(),
};

export type ProfilesOps = OpsOf<typeof profilesOperations>;
export const profilesChannels = channelsOf(profilesOperations);
export const profilesSchemas = schemasOf(profilesOperations);
