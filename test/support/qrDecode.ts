import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { makeTempDir } from './tempDir';

/** Decodes the QR code in a PNG image (what a scanner at the line would read), or null. */
export function decodeQrPng(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  const rgba = new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length);
  // A white margin, as the label has on its backing paper, so a code at the edge is still found.
  return jsQR(rgba, img.width, img.height)?.data ?? decodeWithMargin(img);
}

function decodeWithMargin(img: PNG): string | null {
  const m = 16;
  const w = img.width + 2 * m;
  const h = img.height + 2 * m;
  const out = new Uint8ClampedArray(w * h * 4).fill(255);
  for (let y = 0; y < img.height; y++)
    out.set(img.data.subarray(y * img.width * 4, (y + 1) * img.width * 4), ((y + m) * w + m) * 4);
  return jsQR(out, w, h)?.data ?? null;
}

/** Rasterises one page of a PDF with poppler's pdftoppm and returns the PNG. */
export function pdfPageToPng(pdf: Buffer, page = 1, dpi = 300): Buffer {
  const temp = makeTempDir('lineside-pdf-');
  try {
    const file = path.join(temp.dir, 'in.pdf');
    fs.writeFileSync(file, pdf);
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      String(dpi),
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      file,
      path.join(temp.dir, 'out'),
    ]);
    return fs.readFileSync(path.join(temp.dir, 'out.png'));
  } finally {
    temp.cleanup();
  }
}

/** Renders ZPL back to an image with zpl-renderer-js (Zebrash compiled to WebAssembly, offline). */
export async function zplToPng(zpl: string, widthMm: number, heightMm: number, dpi: number): Promise<Buffer> {
  const { ready } = await import('zpl-renderer-js');
  const { api } = await ready;
  const b64 = await api.zplToBase64Async(zpl, widthMm, heightMm, Math.round(dpi / 25.4));
  return Buffer.from(b64, 'base64');
}
