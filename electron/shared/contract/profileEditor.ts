import type { ProductTokenSummary } from './cloud';
import type { IdPolicyReport, ProfileProblemReport } from './profiles';
import type { ChannelMap, Op } from './types';

/**
 * Editing factory profiles in the app. The text the renderer edits never holds a product token:
 * its `product` value names a token in the sealed store (`'sealed:<ref>'`); core puts the real
 * token in only when it checks, renders or saves the profile. Saving writes the data directory's
 * `profiles/`; a profile that work orders use is never changed in place (a new version is written
 * beside it, named by its hash).
 */
export const SEALED_TOKEN_PREFIX = 'sealed:';

export interface ProfileDraftReport {
  /** The profile opened (a shipped one is the start of a new profile). */
  name: string;
  source: 'factory' | 'station';
  /** The text to edit, its product token replaced by `'sealed:<ref>'`. */
  text: string;
  /** The profile version on disk (sha256 of the file). */
  hash: string;
  /** Work orders made from this profile name. */
  usedByOrders: number;
  product: ProductTokenSummary | null;
}

export interface CheckProfileDraftRequest {
  text: string;
  /** The name it will be saved under: the diff is against that profile's version in use. */
  name?: string;
}

export interface DiffLineReport {
  op: ' ' | '+' | '-';
  text: string;
  oldLine: number | null;
  newLine: number | null;
}

export interface ProfileDiffReport {
  /** What the draft is compared with; null for a new profile. */
  against: { name: string; hash: string; why: 'order' | 'file' } | null;
  /** Product tokens masked on both sides. */
  lines: DiffLineReport[];
  changed: boolean;
}

export interface ProfileDraftCheckReport {
  valid: boolean;
  problems: ProfileProblemReport[];
  /** The claim-ID policy and its entropy, shown even while other parts have problems. */
  ids: IdPolicyReport | null;
  entropyFloor: number;
  /** The sealed token the text names. */
  product: ProductTokenSummary | null;
  /** Where the `product` value sits in the text ([from, to) offsets, quotes included). */
  productRange: { from: number; to: number } | null;
  /** device.json5 for a sample unit, product token masked; null while the profile has problems. */
  preview: string | null;
  diff: ProfileDiffReport;
}

export interface SaveProfileDraftRequest {
  name: string;
  text: string;
}

export interface SavedProfileReport {
  /** The profile name to make orders from (a new version of a used profile gets its own name). */
  name: string;
  file: string;
  hash: string;
  /** Nothing was written: the text is the version already on disk. */
  unchanged: boolean;
  /** Set when the named profile is used by orders and was left as it is. */
  keptInPlace: { name: string; hash: string; orders: number } | null;
  diff: ProfileDiffReport;
}

export interface ProfileEditorOps {
  openProfileDraft: Op<{ name: string }, ProfileDraftReport>;
  checkProfileDraft: Op<CheckProfileDraftRequest, ProfileDraftCheckReport>;
  saveProfileDraft: Op<SaveProfileDraftRequest, SavedProfileReport>;
}

export const profileEditorChannels = {
  openProfileDraft: 'profiles:open-draft',
  checkProfileDraft: 'profiles:check-draft',
  saveProfileDraft: 'profiles:save-draft',
} as const satisfies ChannelMap<ProfileEditorOps>;
