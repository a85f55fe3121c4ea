import type { JobStartedReport } from './jobs';
import * as z from 'zod';
import { claimIdArg, noArgs } from './fields';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';

/**
 * Claim labels: templates, preview, printers, printing with an audit. A label is printed once per
 * unit; every further print is a reprint with a reason. See docs/labels.md.
 */
export const labelFileFormatSchema = lazySchema(() => z.enum(['zpl', 'pdf', 'png']));
export type LabelFileFormat = z.output<typeof labelFileFormatSchema>;

export const printerSetupSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    /** A network label printer taking raw ZPL on TCP (port 9100 on Zebra printers). */
    z
      .object({
        kind: z.literal('zpl-tcp'),
        host: z.string().trim().min(1, 'enter the printer address').max(255),
        port: z.number().int().min(1).max(65535),
      })
      .strict(),
    /** A printer of this computer: CUPS `lp` (browser mode, CLI) or the window's print (Electron). */
    z
      .object({
        kind: z.literal('system'),
        name: z.string().trim().min(1, 'choose a printer').max(255),
        server: z.string().trim().max(255).nullable(),
      })
      .strict(),
    /** No printer: each label is saved as a file in `dir`. */
    z
      .object({
        kind: z.literal('file'),
        dir: z.string().trim().min(1, 'enter a folder').max(1000),
        format: labelFileFormatSchema,
      })
      .strict(),
  ]),
);
export type PrinterSetup = z.output<typeof printerSetupSchema>;

const templateName = lazySchema(() => z.string().trim().min(1).max(64));
const orderId = lazySchema(() => z.string().trim().min(1, 'enter a work order').max(80));

export interface LabelSettings {
  printer: PrinterSetup | null;
  /** The template used when a unit's profile names none. */
  template: string;
  /** Product name and model printed when a unit's profile is not known on this station. */
  product: string;
  model: string;
  /** Labels per unit (1 to 10), e.g. one for the device and one for its box. */
  copies: number;
}

export const updateLabelSettingsRequest = lazySchema(
  () =>
    z
      .object({
        printer: printerSetupSchema.nullable().optional(),
        template: templateName.optional(),
        product: z.string().trim().max(80).optional(),
        model: z.string().trim().max(80).optional(),
        copies: z.number().int().min(1).max(10).optional(),
      })
      .strict() satisfies z.ZodType<Partial<LabelSettings>, unknown>,
);
export type UpdateLabelSettingsRequest = z.output<typeof updateLabelSettingsRequest>;

export interface LabelTemplateReport {
  name: string;
  version: number;
  /** `name@version#hash`: what the audit records. */
  versionTag: string;
  description: string;
  widthMm: number;
  heightMm: number;
  dpi: number;
  source: 'built-in' | 'station';
  fields: string[];
}

export interface LabelTemplatesReport {
  templates: LabelTemplateReport[];
  /** Template files that do not load, each with the reason. */
  broken: { name: string; file: string; message: string }[];
  /** Where the station's own templates go. */
  stationDir: string;
}

export const labelPreviewRequest = lazySchema(() =>
  z
    .object({
      template: templateName.optional(),
      /** A unit to preview; a sample unit when absent. */
      claimId: claimIdArg.nullable().optional(),
    })
    .strict(),
);
export type LabelPreviewRequest = z.output<typeof labelPreviewRequest>;

export interface LabelPreviewReport {
  template: string;
  versionTag: string;
  claimId: string;
  /** The label as SVG, width and height in mm. */
  svg: string;
  /** The label as it prints: the print renderer's 1-bit PNG at the printer's dpi, base64. */
  png: string;
  /** What the QR code holds. */
  payload: string;
  widthMm: number;
  heightMm: number;
  dpi: number;
}

export type LabelPrintKind = 'print' | 'reprint' | 'test';

export interface LabelPrintEntry {
  id: number;
  claimId: string;
  orderId: string | null;
  template: string;
  templateVersion: string;
  printer: string;
  copies: number;
  kind: LabelPrintKind;
  reason: string | null;
  jobId: string | null;
  at: string;
  station: string;
  operator: string;
}

export const listLabelPrintsRequest = lazySchema(() =>
  z
    .object({
      claimId: claimIdArg.optional(),
      orderId: orderId.optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
);
export type ListLabelPrintsRequest = z.output<typeof listLabelPrintsRequest>;

export interface PrinterListReport {
  /** Printers of this computer (CUPS queues, or Electron's list). */
  system: string[];
  /** Why the list is empty, when it could not be read. */
  error: string | null;
}

export const printOrderLabelsRequest = lazySchema(() =>
  z
    .object({
      orderId,
      /** Another printer for this batch only (default: the station's label printer). */
      printer: printerSetupSchema.optional(),
    })
    .strict(),
);
export type PrintOrderLabelsRequest = z.output<typeof printOrderLabelsRequest>;

export const printUnitLabelRequest = lazySchema(() =>
  z.object({ claimId: claimIdArg, printer: printerSetupSchema.optional() }).strict(),
);
export type PrintUnitLabelRequest = z.output<typeof printUnitLabelRequest>;

export const reprintLabelRequest = lazySchema(() =>
  z
    .object({
      claimId: claimIdArg,
      reason: z.string().trim().min(3, 'say why the label is printed again').max(200),
    })
    .strict(),
);

/** A batch print's result (the job's `result`). */
export interface OrderLabelsReport {
  orderId: string;
  printed: number;
  alreadyPrinted: number;
  /** Units of the order not verified (never labelled: a failed unit gets no label). */
  notVerified: number;
}

export const saveLabelsRequest = lazySchema(() =>
  z
    .object({
      orderId: orderId.optional(),
      claimIds: z.array(claimIdArg).max(100_000).optional(),
      format: labelFileFormatSchema,
      /** Absolute directory; default: the data directory's labels/out. */
      dir: z.string().trim().min(1).max(1000).optional(),
      template: templateName.optional(),
      /** PDF only: one page per label (default), or labels in a grid on A4/Letter sheets. */
      sheet: z.enum(['label', 'A4', 'Letter']).optional(),
    })
    .strict()
    .refine((r) => r.orderId || (r.claimIds && r.claimIds.length > 0), {
      message: 'give an order or claim IDs',
      path: ['orderId'],
    }),
);
export type SaveLabelsRequest = z.output<typeof saveLabelsRequest>;

export interface SavedLabelsReport {
  files: string[];
  labels: number;
}

export const labelsOperations = {
  listLabelTemplates: op('labels:list-templates', noArgs).returns<LabelTemplatesReport>(),
  previewLabel: op('labels:preview', labelPreviewRequest).returns<LabelPreviewReport>(),
  getLabelSettings: op('labels:get-settings', noArgs).returns<LabelSettings>(),
  updateLabelSettings: op('labels:update-settings', updateLabelSettingsRequest).returns<LabelSettings>(),
  listPrinters: op('labels:list-printers', noArgs).returns<PrinterListReport>(),
  printTestLabel: op('labels:print-test', noArgs).returns<LabelPrintEntry>(),
  printUnitLabel: op('labels:print-unit', printUnitLabelRequest).returns<LabelPrintEntry>(),
  reprintLabel: op('labels:reprint', reprintLabelRequest).returns<LabelPrintEntry>(),
  printOrderLabels: op('labels:print-order', printOrderLabelsRequest).returns<JobStartedReport>(),
  listLabelPrints: op('labels:list-prints', listLabelPrintsRequest).returns<LabelPrintEntry[]>(),
  saveLabels: op('labels:save', saveLabelsRequest).returns<SavedLabelsReport>(),
};

export type LabelsOps = OpsOf<typeof labelsOperations>;
export const labelsChannels = channelsOf(labelsOperations);
export const labelsSchemas = schemasOf(labelsOperations);
