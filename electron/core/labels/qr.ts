import { qrcode } from './lazyPackages';
import { Failure } from '../failure';
import type { QrErrorCorrection } from './types';

/** Below 2 dots per module a thermal printer's dot gain makes codes unreadable. */
export const MIN_MODULE_DOTS = 2;
/** ^BQ magnification tops out at 10. */
export const MAX_MODULE_DOTS = 10;

/*
 * Every code is encoded in byte mode, here and in the ZPL (^BQ manual byte mode), so the station and
 * a Zebra printer build the same symbol and the size checked here is the size printed.
 */
export interface QrMatrix {
  /** Modules per side, without the quiet zone. */
  size: number;
  /** size*size, 1 = dark. */
  data: Uint8Array;
}

export function qrMatrix(payload: string, ecl: QrErrorCorrection, templateName = ''): QrMatrix {
  try {
    const code = qrcode.create([{ data: Buffer.from(payload, 'utf8'), mode: 'byte' }], {
      errorCorrectionLevel: ecl,
    });
    return { size: code.modules.size, data: code.modules.data };
  } catch (error) {
    throw new Failure(
      'validation',
      `Template "${templateName}": the QR payload (${payload.length} characters) is too long for any QR code: shorten it.`,
      { detail: String(error), cause: error },
    );
  }
}

/**
 * Modules per side only: enough for ZPL (the printer encodes ^BQ itself) and for the fit check. The
 * mask pattern never changes the size, so a fixed one skips the costly mask scoring.
 */
// In byte mode the symbol size depends only on the byte length and the error correction level.
const sizes = new Map<string, number>();

export function qrSize(payload: string, ecl: QrErrorCorrection, templateName = ''): number {
  const bytes = Buffer.from(payload, 'utf8');
  const key = `${ecl}:${bytes.length}`;
  const known = sizes.get(key);
  if (known !== undefined) return known;
  try {
    const size = qrcode.create([{ data: bytes, mode: 'byte' }], { errorCorrectionLevel: ecl, maskPattern: 0 })
      .modules.size;
    sizes.set(key, size);
    return size;
  } catch (error) {
    throw new Failure(
      'validation',
      `Template "${templateName}": the QR payload (${payload.length} characters) is too long for any QR code: shorten it.`,
      { detail: String(error), cause: error },
    );
  }
}

export function dotsPerMm(dpi: number): number {
  return dpi / 25.4;
}

/**
 * How many printer dots each module gets in a box of `boxMm`. Throws with the size the box must
 * have when even the minimum does not fit.
 */
export function moduleDots(
  size: number,
  quietZone: number,
  boxMm: number,
  dpi: number,
  templateName: string,
): number {
  const modules = size + 2 * quietZone;
  const boxDots = Math.floor(boxMm * dotsPerMm(dpi));
  const dots = Math.min(MAX_MODULE_DOTS, Math.floor(boxDots / modules));
  if (dots < MIN_MODULE_DOTS) {
    const neededMm = Math.ceil(((modules * MIN_MODULE_DOTS) / dotsPerMm(dpi)) * 10) / 10;
    throw new Failure(
      'validation',
      `Template "${templateName}": the QR code does not fit its ${boxMm} mm box. It needs ${modules} modules ` +
        `(quiet zone included) at ${MIN_MODULE_DOTS} dots each, so the box must be at least ${neededMm} mm ` +
        `at ${dpi} dpi; or shorten the payload, lower the error correction or the quiet zone.`,
      { detail: `modules=${size} quietZone=${quietZone} boxDots=${boxDots} neededMm=${neededMm}` },
    );
  }
  return dots;
}
