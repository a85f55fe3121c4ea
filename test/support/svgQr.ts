/**
 * Rasterises the QR SVG that `qrcode` writes (a white square, then one stroked path of horizontal
 * runs: `M x y.5 h n m dx dy h n ...`) into RGBA pixels, so tests can decode it back with jsQR.
 */
export function svgToPixels(
  svg: string,
  scale = 8,
): { data: Uint8ClampedArray; width: number; height: number } {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  if (!size) throw new Error('not a qrcode SVG (no viewBox)');
  const d = /<path[^>]*stroke="[^"]+"[^>]*d="([^"]+)"/.exec(svg)?.[1] ?? '';
  const dark = new Uint8Array(size * size);
  let x = 0;
  let y = 0;
  for (const [, cmd, args] of d.matchAll(/([MmHh])([^MmHh]*)/g)) {
    const n = args!
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    if (cmd === 'M') [x, y] = [n[0]!, n[1]!];
    else if (cmd === 'm') [x, y] = [x + n[0]!, y + n[1]!];
    else {
      const to = cmd === 'h' ? x + n[0]! : n[0]!;
      for (let i = Math.min(x, to); i < Math.max(x, to); i++) dark[Math.floor(y) * size + i] = 1;
      x = to;
    }
  }
  const width = size * scale;
  const data = new Uint8ClampedArray(width * width * 4);
  for (let py = 0; py < width; py++)
    for (let px = 0; px < width; px++) {
      const v = dark[Math.floor(py / scale) * size + Math.floor(px / scale)] ? 0 : 255;
      const o = (py * width + px) * 4;
      data[o] = data[o + 1] = data[o + 2] = v;
      data[o + 3] = 255;
    }
  return { data, width, height: width };
}
