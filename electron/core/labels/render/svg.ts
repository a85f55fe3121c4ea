import type { LaidOutLabel } from '../layout';
import { pngjs } from '../lazyPackages';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Dark modules as one path of unit squares (x, y in dots). */
export function qrPath(x: number, y: number, module: number, size: number, data: Uint8Array): string {
  let d = '';
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++)
      if (data[r * size + c]) d += `M${x + c * module} ${y + r * module}h${module}v${module}h-${module}z`;
  return d;
}

/**
 * The on-screen preview: width and height in mm (true size), drawn in printer dots so what you see
 * is what the printer's grid can do.
 */
export function renderSvg(label: LaidOutLabel): string {
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${label.widthMm}mm" height="${label.heightMm}mm" ` +
      `viewBox="0 0 ${label.widthDots} ${label.heightDots}" shape-rendering="crispEdges" ` +
      `data-payload="${esc(label.payload)}">`,
    `<rect width="${label.widthDots}" height="${label.heightDots}" fill="#fff"/>`,
  ];
  for (const op of label.ops) {
    if (op.kind === 'qr') {
      const q = op.quietZone * op.module;
      parts.push(
        `<path class="qr" fill="#000" d="${qrPath(op.x + q, op.y + q, op.module, op.matrix.size, op.matrix.data)}"/>`,
      );
    } else if (op.kind === 'text') {
      // Baseline at 80% of the line height, as in the PNG and PDF renderers.
      parts.push(
        `<text x="${op.x}" y="${op.y + Math.round(op.height * 0.8)}" font-size="${op.height}" ` +
          `font-family="${op.mono ? "'DejaVu Sans Mono', monospace" : "'DejaVu Sans', Helvetica, Arial, sans-serif"}"` +
          `${op.bold ? ' font-weight="bold"' : ''} fill="#000">${esc(op.text)}</text>`,
      );
    } else {
      const png = new pngjs.PNG({ width: op.bitmap.width, height: op.bitmap.height });
      for (let i = 0; i < op.bitmap.bits.length; i++) {
        const v = op.bitmap.bits[i] ? 0 : 255;
        png.data[i * 4] = png.data[i * 4 + 1] = png.data[i * 4 + 2] = v;
        png.data[i * 4 + 3] = op.bitmap.bits[i] ? 255 : 0;
      }
      const href = `data:image/png;base64,${pngjs.PNG.sync.write(png).toString('base64')}`;
      parts.push(
        `<image x="${op.x}" y="${op.y}" width="${op.width}" height="${op.height}" ` +
          `preserveAspectRatio="none" style="image-rendering:pixelated" href="${href}"/>`,
      );
    }
  }
  parts.push('</svg>');
  return parts.join('');
}
