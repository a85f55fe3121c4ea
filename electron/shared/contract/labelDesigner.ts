import type { LabelPrintEntry } from './labels';
import * as z from 'zod';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';

/**
 * The label designer: a template edited as data (mm, dpi, fields, QR payload), its preview drawn by
 * the print renderer at the printer's resolution (a PNG from core), saved as a new template
 * version in the data directory's labels/, and test-printed from the editor.
 */
// Shapes only: the designer checks a draft with the template file's own rules and messages.
const mm = lazySchema(() => z.number().finite().min(0).max(1000));

export const labelElementDraftSchema = lazySchema(() =>
  z.discriminatedUnion('type', [
    z
      .object({
        type: z.literal('qr'),
        x: mm,
        y: mm,
        /** The square box in mm the code (with its quiet zone) must fit into. */
        size: mm,
        /** A template: `{{id}}` or `https://manager.example.com/claim?id={{id}}&product={{product}}`. */
        payload: z.string().max(2000),
        errorCorrection: z.enum(['L', 'M', 'Q', 'H']),
        /** Blank modules around the code (the QR standard asks for 4; 2 works on most scanners). */
        quietZone: z.number().int().min(0).max(8),
      })
      .strict(),
    z
      .object({
        type: z.literal('text'),
        x: mm,
        y: mm,
        /** Line height in mm. */
        height: mm,
        value: z.string().max(500),
        /** Monospace (for the claim ID, read aloud character by character). */
        mono: z.boolean(),
        bold: z.boolean(),
      })
      .strict(),
    z
      .object({
        type: z.literal('image'),
        x: mm,
        y: mm,
        width: mm,
        height: mm,
        /** A PNG file next to the template (resources/labels or the data directory's labels folder). */
        file: z.string().max(200),
      })
      .strict(),
  ]),
);
export type LabelElementDraft = z.output<typeof labelElementDraftSchema>;

export const labelTemplateDraftSchema = lazySchema(() =>
  z
    .object({
      /** The template's file name: lower-case letters, digits and dashes. */
      name: z.string().trim().min(1, 'name the template').max(64),
      description: z.string().max(500),
      /** mm */
      width: mm,
      height: mm,
      dpi: z.union([z.literal(203), z.literal(300)], { error: 'dpi must be 203 or 300' }),
      /** Groups for `{{idGrouped}}`: [4, 4, 2] shows M72DANY8BZ as M72D-ANY8-BZ. */
      claimIdGroups: z.array(z.number().int().min(1).max(20)).max(20),
      /** Free fields this template may use beyond the built-in ones. */
      fields: z.array(z.string().max(64)).max(50),
      elements: z.array(labelElementDraftSchema).max(100),
    })
    .strict(),
);
export type LabelTemplateDraft = z.output<typeof labelTemplateDraftSchema>;

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

export const addLabelImageRequest = lazySchema(() =>
  z
    .object({
      /** A PNG file name: letters, digits, dot, dash, underscore; ends in .png. */
      fileName: z.string().regex(/^[\w.-]{1,60}\.png$/i, 'a PNG file name like logo.png'),
      /** The PNG's bytes, base64. */
      png: z.string().max(2_000_000, 'a logo is at most 1.5 MB'),
    })
    .strict(),
);
export type AddLabelImageRequest = z.output<typeof addLabelImageRequest>;

const draftRequest = lazySchema(() => z.object({ template: labelTemplateDraftSchema }).strict());

export const labelDesignerOperations = {
  openLabelDraft: op(
    'labels:open-draft',
    lazySchema(() => z.object({ name: z.string().trim().min(1).max(64) }).strict()),
  ).returns<LabelDraftReport>(),
  renderLabelDraft: op('labels:render-draft', draftRequest).returns<LabelRasterReport>(),
  saveLabelDraft: op('labels:save-draft', draftRequest).returns<SavedLabelTemplateReport>(),
  printLabelDraft: op('labels:print-draft', draftRequest).returns<LabelPrintEntry>(),
  /** Adds a logo to the station's labels folder; answers every logo file templates may place. */
  addLabelImage: op('labels:add-image', addLabelImageRequest).returns<{ images: string[] }>(),
};

export type LabelDesignerOps = OpsOf<typeof labelDesignerOperations>;
export const labelDesignerChannels = channelsOf(labelDesignerOperations);
export const labelDesignerSchemas = schemasOf(labelDesignerOperations);
