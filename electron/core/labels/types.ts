/**
 * Label templates and the data printed on a label. A template is a JSON5 file (resources/labels or
 * the data directory's labels folder); see docs/labels.md for the format.
 */
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

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

export interface QrElement {
  type: 'qr';
  x: number;
  y: number;
  /** The square box in mm the code (with its quiet zone) must fit into. */
  size: number;
  /** A template: `{{id}}` or `https://manager.example.com/claim?id={{id}}&product={{product}}`. */
  payload: string;
  errorCorrection: QrErrorCorrection;
  /** Blank modules around the code (the QR standard asks for 4; 2 works on most scanners). */
  quietZone: number;
}

export interface TextElement {
  type: 'text';
  x: number;
  y: number;
  /** Line height in mm. */
  height: number;
  value: string;
  /** Monospace (for the claim ID, read aloud character by character). */
  mono: boolean;
  bold: boolean;
}

export interface ImageElement {
  type: 'image';
  x: number;
  y: number;
  width: number;
  height: number;
  /** A PNG file next to the template (resources/labels or the data directory's labels folder). */
  file: string;
}

export type LabelElement = QrElement | TextElement | ImageElement;

export interface LabelTemplate {
  name: string;
  version: number;
  description: string;
  /** mm */
  width: number;
  height: number;
  dpi: 203 | 300;
  /** Groups for `{{idGrouped}}`: [4, 4, 2] shows M72DANY8BZ as M72D-ANY8-BZ. */
  claimIdGroups: number[];
  /** Free fields this template may use beyond the built-in ones. */
  fields: string[];
  elements: LabelElement[];
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
