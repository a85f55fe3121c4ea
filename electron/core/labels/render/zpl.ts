import type { LaidOutLabel } from '../layout';
import { scaleBitmap } from '../layout';
import type { Bitmap } from '../types';

/**
 * ZPL II for Zebra printers, in dots at the template's resolution: ^BQ (model 2) for the QR code,
 * the scalable font ^A0 for text, ^GFA for a logo. ^FH escapes the characters ZPL reserves.
 */
export function zplEscape(text: string): string {
  return text.replace(/[_^~\\]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function graphic(bits: Uint8Array, w: number, h: number): string {
  const rowBytes = Math.ceil(w / 8);
  let hex = '';
  for (let y = 0; y < h; y++) {
    for (let b = 0; b < rowBytes; b++) {
      let byte = 0;
      for (let i = 0; i < 8; i++) {
        const x = b * 8 + i;
        if (x < w && bits[y * w + x]) byte |= 0x80 >> i;
      }
      hex += byte.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  const total = rowBytes * h;
  return `^GFA,${total},${total},${rowBytes},${hex}`;
}

// A logo is the same on every label of a batch: scale and hex-encode it once per size.
const graphics = new WeakMap<Bitmap, Map<string, string>>();

function logo(bitmap: Bitmap, w: number, h: number): string {
  let sizes = graphics.get(bitmap);
  if (!sizes) graphics.set(bitmap, (sizes = new Map()));
  const key = `${w}x${h}`;
  let gf = sizes.get(key);
  if (!gf) {
    const b = scaleBitmap(bitmap, w, h);
    gf = graphic(b.bits, b.width, b.height);
    sizes.set(key, gf);
  }
  return gf;
}

export function renderZpl(label: LaidOutLabel, copies = 1): string {
  const out: string[] = ['^XA', '^CI28', `^PW${label.widthDots}`, `^LL${label.heightDots}`, '^LH0,0'];
  for (const op of label.ops) {
    if (op.kind === 'qr') {
      const q = op.quietZone * op.module;
      out.push(
        `^FO${op.x + q},${op.y + q}^BQN,2,${op.module}^FH_^FD${op.errorCorrection}M,B${String(Buffer.byteLength(op.payload)).padStart(4, '0')}${zplEscape(op.payload)}^FS`,
      );
    } else if (op.kind === 'text') {
      const w = op.mono ? Math.round(op.height * 0.6) : op.height;
      out.push(`^FO${op.x},${op.y}^A0N,${op.height},${w}^FH_^FD${zplEscape(op.text)}^FS`);
    } else {
      out.push(`^FO${op.x},${op.y}${logo(op.bitmap, op.width, op.height)}^FS`);
    }
  }
  if (copies > 1) out.push(`^PQ${copies}`);
  out.push('^XZ');
  return out.join('\n') + '\n';
}
