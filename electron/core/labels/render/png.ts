import { PNG } from 'pngjs';
import type { LaidOutLabel } from '../layout';
import { scaleBitmap } from '../layout';
import type { BitmapFont } from './bitmapFont';

/** A 1-bit raster of the label at the printer's resolution (1 = black). */
export function rasterize(label: LaidOutLabel, font: BitmapFont): Uint8Array {
  const W = label.widthDots;
  const H = label.heightDots;
  const px = new Uint8Array(W * H);
  const set = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < W && y < H) px[y * W + x] = 1;
  };
  for (const op of label.ops) {
    if (op.kind === 'qr') {
      const q = op.quietZone * op.module;
      const { size, data } = op.matrix;
      for (let r = 0; r < size; r++)
        for (let c = 0; c < size; c++) {
          if (!data[r * size + c]) continue;
          for (let dy = 0; dy < op.module; dy++)
            for (let dx = 0; dx < op.module; dx++)
              set(op.x + q + c * op.module + dx, op.y + q + r * op.module + dy);
        }
    } else if (op.kind === 'text') {
      const scale = op.height / font.height;
      const cw = Math.max(1, Math.round(font.width * scale));
      [...op.text].forEach((ch, i) => {
        const g = font.glyph(ch);
        for (let y = 0; y < op.height; y++) {
          const sy = Math.min(font.height - 1, Math.floor(y / scale));
          for (let x = 0; x < cw; x++) {
            const sx = Math.min(font.width - 1, Math.floor(x / scale));
            if (g[sy * font.width + sx]) set(op.x + i * cw + x, op.y + y);
          }
        }
      });
    } else {
      const b = scaleBitmap(op.bitmap, op.width, op.height);
      for (let y = 0; y < b.height; y++)
        for (let x = 0; x < b.width; x++) if (b.bits[y * b.width + x]) set(op.x + x, op.y + y);
    }
  }
  return px;
}

export function renderPng(label: LaidOutLabel, font: BitmapFont): Buffer {
  const px = rasterize(label, font);
  const png = new PNG({
    width: label.widthDots,
    height: label.heightDots,
    colorType: 0,
    inputHasAlpha: false,
  });
  const rgb = Buffer.alloc(label.widthDots * label.heightDots * 3);
  for (let i = 0; i < px.length; i++) {
    const v = px[i] ? 0 : 255;
    rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = v;
  }
  png.data = rgb;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 2, inputHasAlpha: false });
}
