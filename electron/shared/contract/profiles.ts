import type { ChannelMap, Op } from './types';

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

export interface CheckProfileRequest {
  /** The profile's JSON5 text. */
  text: string;
  /** Shown in problem locations. */
  file?: string;
}

export interface ProfileCheckReport {
  valid: boolean;
  hash: string;
  problems: ProfileProblemReport[];
  ids: IdPolicyReport | null;
}

export interface PreviewDeviceConfigRequest {
  profile: string;
  /** Sample values; defaults are drawn/filled for a sample unit. */
  claimId?: string;
  serial?: string;
  orderId?: string;
}

export interface DeviceConfigPreviewReport {
  /** device.json5 as it would be written, product token masked. */
  text: string;
  claimId: string;
  serial: string;
  orderId: string;
}

export interface ProfilesOps {
  listProfiles: Op<void, ProfilesReport>;
  checkProfile: Op<CheckProfileRequest, ProfileCheckReport>;
  previewDeviceConfig: Op<PreviewDeviceConfigRequest, DeviceConfigPreviewReport>;
  setEntropyFloor: Op<{ bits: number }, ProfilesReport>;
}

export const profilesChannels = {
  listProfiles: 'profiles:list',
  checkProfile: 'profiles:check',
  previewDeviceConfig: 'profiles:preview-device-config',
  setEntropyFloor: 'profiles:set-entropy-floor',
} as const satisfies ChannelMap<ProfilesOps>;
