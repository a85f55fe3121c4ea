import * as z from 'zod';
import type { ProductTokenSummary } from './cloud';
import type { IdPolicyReport, ProfileProblemReport } from './profiles';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';

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

const name = lazySchema(() => z.string().trim().min(1, 'name the profile').max(120));
const text = lazySchema(() => z.string().max(1_000_000, 'a profile is at most 1 MB of text'));

export const checkProfileDraftRequest = lazySchema(() =>
  z
    .object({
      text,
      /** The name it will be saved under: the diff is against that profile's version in use. */
      name: name.optional(),
    })
    .strict(),
);
export type CheckProfileDraftRequest = z.output<typeof checkProfileDraftRequest>;

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

export const saveProfileDraftRequest = lazySchema(() => z.object({ name, text }).strict());
export type SaveProfileDraftRequest = z.output<typeof saveProfileDraftRequest>;

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

export const profileEditorOperations = {
  openProfileDraft: op(
    'profiles:open-draft',
    lazySchema(() => z.object({ name }).strict()),
  ).returns<ProfileDraftReport>(),
  checkProfileDraft: op('profiles:check-draft', checkProfileDraftRequest).returns<ProfileDraftCheckReport>(),
  saveProfileDraft: op('profiles:save-draft', saveProfileDraftRequest).returns<SavedProfileReport>(),
};

export type ProfileEditorOps = OpsOf<typeof profileEditorOperations>;
export const profileEditorChannels = channelsOf(profileEditorOperations);
export const profileEditorSchemas = schemasOf(profileEditorOperations);
