import type { LabelPrintEntry } from './labels';
import type { ChannelMap, Op } from './types';

/**
 * The label designer: a template edited as data (mm, dpi, fields, QR payload), its preview drawn by
 * the print renderer at the printer's resolution (a PNG from core), saved as a new template
 * version in the data directory's labels/, and test-printed from the editor.
 */
export type LabelElementDraft =
  | {
      type: 'qr';
      x: number;
      y: number;
      size: number;
      payload: string;
      errorCorrection: 'L' | 'M' | 'Q' | 'H';
      quietZone: number;
    }
  | { type: 'text'; x: number; y: number; height: number; value: string; mono: boolean; bold: boolean }
  | { type: 'image'; x: number; y: number; width: number; height: number; file: string };

export interface LabelTemplateDraft {
  /** The template's file name: lower-case letters, digits and dashes. */
  name: string;
  description: string;
  /** mm */
  width: number;
  height: number;
  dpi: 203 | 300;
  claimIdGroups: number[];
  fields: string[];
  elements: LabelElementDraft[];
}

export interface LabelDraftReport {
  template: LabelTemplateDraft;
  /** The version on disk (a save writes version + 1). */
  version: number;
  versionTag: string;
  source: 'built-in' | 'station';
  /** Logo files (PNG) a template may place. */
  images: string[];
}

export interface LabelBoxReport {
  /** mm, what the element covers on the printed label. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LabelRasterReport {
  /** The label exactly as it prints: a 1-bit PNG at the printer's dpi, base64. */
  png: string;
  widthDots: number;
  heightDots: number;
  dpi: number;
  widthMm: number;
  heightMm: number;
  /** What the first QR code holds for the sample unit. */
  payload: string;
  claimId: string;
  versionTag: string;
  /** One box per element, in the draft's order. */
  boxes: LabelBoxReport[];
}

export interface SavedLabelTemplateReport {
  name: string;
  version: number;
  versionTag: string;
  file: string;
  /** Where the version it replaced was kept; null for a new template. */
  previous: string | null;
}

export interface AddLabelImageRequest {
  /** A PNG file name: letters, digits, dot, dash, underscore; ends in .png. */
  fileName: string;
  /** The PNG's bytes, base64. */
  png: string;
}

export interface LabelDesignerOps {
  openLabelDraft: Op<{ name: string }, LabelDraftReport>;
  renderLabelDraft: Op<{ template: LabelTemplateDraft }, LabelRasterReport>;
  saveLabelDraft: Op<{ template: LabelTemplateDraft }, SavedLabelTemplateReport>;
  printLabelDraft: Op<{ template: LabelTemplateDraft }, LabelPrintEntry>;
  /** Adds a logo to the station's labels folder; answers every logo file templates may place. */
  addLabelImage: Op<AddLabelImageRequest, { images: string[] }>;
}

export const labelDesignerChannels = {
  openLabelDraft: 'labels:open-draft',
  renderLabelDraft: 'labels:render-draft',
  saveLabelDraft: 'labels:save-draft',
  printLabelDraft: 'labels:print-draft',
  addLabelImage: 'labels:add-image',
} as const satisfies ChannelMap<LabelDesignerOps>;
