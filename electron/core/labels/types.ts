/**
 * Label templates and the data printed on a label. A template is a JSON5 file (resources/labels or
 * the data directory's labels folder); see docs/labels.md for the format.
 */
import type { LabelElementDraft, LabelTemplateDraft } from '../../shared/contract';

// The template's shapes are the label designer's contract (electron/shared/contract/labelDesigner.ts):
// what the designer edits is what the print renderer lays out.
export type QrErrorCorrection = QrElement['errorCorrection'];

/** Everything a label can show about one unit. Built from a unit row and its profile. */
export interface LabelData {
  claimId: string;
  /** Product name, e.g. "Acme Sensor". */
  product: string;
  model: string;
  serial: string | null;
  /** ISO date of manufacture (YYYY-MM-DD). */
  created: string;
  orderId: string | null;
  /** Free fields a template may use when it lists them under `fields` (batch, colour, ...). */
  fields: Record<string, string>;
}

export type QrElement = Extract<LabelElementDraft, { type: 'qr' }>;
export type TextElement = Extract<LabelElementDraft, { type: 'text' }>;
export type ImageElement = Extract<LabelElementDraft, { type: 'image' }>;
export type LabelElement = LabelElementDraft;

/** A template file: the designer's draft plus the version it was saved as. */
export interface LabelTemplate extends LabelTemplateDraft {
  version: number;
}

/** A template as loaded: where it came from and what identifies this exact version in the audit. */
export interface LoadedTemplate {
  template: LabelTemplate;
  file: string;
  source: 'built-in' | 'station';
  /** `name@version#hash8`, recorded with every print. */
  versionTag: string;
  /** Decoded logo bitmaps by file name (1 = black). */
  images: Map<string, Bitmap>;
}

export interface Bitmap {
  width: number;
  height: number;
  /** Row-major, one byte per pixel, 1 = black. */
  bits: Uint8Array;
}

export const BUILT_IN_FIELDS = [
  'id',
  'idGrouped',
  'product',
  'model',
  'serial',
  'created',
  'orderId',
] as const;
