import { fieldValues, fill, fillPayload } from './fields';
import { dotsPerMm, moduleDots, qrMatrix, qrSize, type QrMatrix } from './qr';
import type { Bitmap, LabelData, LoadedTemplate, QrErrorCorrection } from './types';

/** One label placed in printer dots: what every renderer (SVG, PNG, ZPL, PDF) draws. */
export type LabelOp =
  | {
      kind: 'qr';
      x: number;
      y: number;
      /** Dots per module. */
      module: number;
      quietZone: number;
      /** Modules per side (without the quiet zone). */
      size: number;
      /** Encoded on first use: ZPL never needs it (the printer encodes ^BQ). */
      readonly matrix: QrMatrix;
      payload: string;
      errorCorrection: QrErrorCorrection;
    }
  | { kind: 'text'; x: number; y: number; height: number; text: string; mono: boolean; bold: boolean }
  | { kind: 'image'; x: number; y: number; width: number; height: number; bitmap: Bitmap };

export interface LaidOutLabel {
  templateName: string;
  versionTag: string;
  dpi: number;
  widthMm: number;
  heightMm: number;
  widthDots: number;
  heightDots: number;
  /** The first QR code's payload (what a scanner reads). */
  payload: string;
  ops: LabelOp[];
}

export function layoutLabel(loaded: LoadedTemplate, data: LabelData): LaidOutLabel {
  const t = loaded.template;
  const dpmm = dotsPerMm(t.dpi);
  const dots = (mm: number) => Math.round(mm * dpmm);
  const values = fieldValues(data, t.claimIdGroups);
  const ops: LabelOp[] = [];
  let payload = '';
  for (const e of t.elements) {
    if (e.type === 'qr') {
      const text = fillPayload(e.payload, values);
      const size = qrSize(text, e.errorCorrection, t.name);
      const module = moduleDots(size, e.quietZone, e.size, t.dpi, t.name);
      if (!payload) payload = text;
      let matrix: QrMatrix | null = null;
      const ecl = e.errorCorrection;
      ops.push({
        kind: 'qr',
        x: dots(e.x),
        y: dots(e.y),
        module,
        quietZone: e.quietZone,
        size,
        get matrix() {
          return (matrix ??= qrMatrix(text, ecl, t.name));
        },
        payload: text,
        errorCorrection: ecl,
      });
    } else if (e.type === 'text') {
      ops.push({
        kind: 'text',
        x: dots(e.x),
        y: dots(e.y),
        height: dots(e.height),
        text: fill(e.value, values),
        mono: e.mono,
        bold: e.bold,
      });
    } else {
      ops.push({
        kind: 'image',
        x: dots(e.x),
        y: dots(e.y),
        width: dots(e.width),
        height: dots(e.height),
        bitmap: loaded.images.get(e.file)!,
      });
    }
  }
  return {
    templateName: t.name,
    versionTag: loaded.versionTag,
    dpi: t.dpi,
    widthMm: t.width,
    heightMm: t.height,
    widthDots: dots(t.width),
    heightDots: dots(t.height),
    payload,
    ops,
  };
}

/** Nearest-neighbour sample of a bitmap scaled into w x h dots. */
export function scaleBitmap(src: Bitmap, w: number, h: number): Bitmap {
  const bits = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(src.height - 1, Math.floor((y * src.height) / h));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(src.width - 1, Math.floor((x * src.width) / w));
      bits[y * w + x] = src.bits[sy * src.width + sx]!;
    }
  }
  return { width: w, height: h, bits };
}
