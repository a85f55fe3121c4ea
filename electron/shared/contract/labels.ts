import type { JobStartedReport } from './jobs';
import type { ChannelMap, Op } from './types';

/**
 * Claim labels: templates, preview, printers, printing with an audit. A label is printed once per
 * unit; every further print is a reprint with a reason. See docs/labels.md.
 */
export type LabelFileFormat = 'zpl' | 'pdf' | 'png';

export type PrinterSetup =
  /** A network label printer taking raw ZPL on TCP (port 9100 on Zebra printers). */
  | { kind: 'zpl-tcp'; host: string; port: number }
  /** A printer of this computer: CUPS `lp` (browser mode, CLI) or the window's print (Electron). */
  | { kind: 'system'; name: string; server: string | null }
  /** No printer: each label is saved as a file in `dir`. */
  | { kind: 'file'; dir: string; format: LabelFileFormat };

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

export type UpdateLabelSettingsRequest = Partial<LabelSettings>;

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

export interface LabelPreviewRequest {
  template?: string;
  /** A unit to preview; a sample unit when absent. */
  claimId?: string | null;
}

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

export interface ListLabelPrintsRequest {
  claimId?: string;
  orderId?: string;
  limit?: number;
}

export interface PrinterListReport {
  /** Printers of this computer (CUPS queues, or Electron's list). */
  system: string[];
  /** Why the list is empty, when it could not be read. */
  error: string | null;
}

export interface PrintOrderLabelsRequest {
  orderId: string;
  /** Another printer for this batch only (default: the station's label printer). */
  printer?: PrinterSetup;
}

export interface PrintUnitLabelRequest {
  claimId: string;
  printer?: PrinterSetup;
}

/** A batch print's result (the job's `result`). */
export interface OrderLabelsReport {
  orderId: string;
  printed: number;
  alreadyPrinted: number;
  /** Units of the order not verified (never labelled: a failed unit gets no label). */
  notVerified: number;
}

export interface SaveLabelsRequest {
  orderId?: string;
  claimIds?: string[];
  format: LabelFileFormat;
  /** Absolute directory; default: the data directory's labels/out. */
  dir?: string;
  template?: string;
  /** PDF only: one page per label (default), or labels in a grid on A4/Letter sheets. */
  sheet?: 'label' | 'A4' | 'Letter';
}

export interface SavedLabelsReport {
  files: string[];
  labels: number;
}

export interface LabelsOps {
  listLabelTemplates: Op<void, LabelTemplatesReport>;
  previewLabel: Op<LabelPreviewRequest, LabelPreviewReport>;
  getLabelSettings: Op<void, LabelSettings>;
  updateLabelSettings: Op<UpdateLabelSettingsRequest, LabelSettings>;
  listPrinters: Op<void, PrinterListReport>;
  printTestLabel: Op<void, LabelPrintEntry>;
  printUnitLabel: Op<PrintUnitLabelRequest, LabelPrintEntry>;
  reprintLabel: Op<{ claimId: string; reason: string }, LabelPrintEntry>;
  printOrderLabels: Op<PrintOrderLabelsRequest, JobStartedReport>;
  listLabelPrints: Op<ListLabelPrintsRequest, LabelPrintEntry[]>;
  saveLabels: Op<SaveLabelsRequest, SavedLabelsReport>;
}

export const labelsChannels = {
  listLabelTemplates: 'labels:list-templates',
  previewLabel: 'labels:preview',
  getLabelSettings: 'labels:get-settings',
  updateLabelSettings: 'labels:update-settings',
  listPrinters: 'labels:list-printers',
  printTestLabel: 'labels:print-test',
  printUnitLabel: 'labels:print-unit',
  reprintLabel: 'labels:reprint',
  printOrderLabels: 'labels:print-order',
  listLabelPrints: 'labels:list-prints',
  saveLabels: 'labels:save',
} as const satisfies ChannelMap<LabelsOps>;
