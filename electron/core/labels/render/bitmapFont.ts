import fs from 'node:fs';

/** A 1-bit monospace font (resources/labels/font-mono.json, made by scripts/make-label-font.js). */
export interface BitmapFont {
  /** The font file, for a render worker to load the same font. */
  file?: string;
  width: number;
  height: number;
  glyph(ch: string): Uint8Array;
}

interface FontFile {
  width: number;
  height: number;
  glyphs: Record<string, string[]>;
}

const cache = new Map<string, BitmapFont>();

export function loadBitmapFont(file: string): BitmapFont {
  const hit = cache.get(file);
  if (hit) return hit;
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as FontFile;
  const glyphs = new Map<string, Uint8Array>();
  for (const [ch, rows] of Object.entries(raw.glyphs)) {
    const bits = new Uint8Array(raw.width * raw.height);
    rows.forEach((hex, y) => {
      const row = BigInt(`0x${hex}`).toString(2).padStart(raw.width, '0');
      for (let x = 0; x < raw.width; x++) bits[y * raw.width + x] = row[x] === '1' ? 1 : 0;
    });
    glyphs.set(ch, bits);
  }
  const blank = new Uint8Array(raw.width * raw.height);
  const font: BitmapFont = {
    file,
    width: raw.width,
    height: raw.height,
    // Characters outside printable ASCII print as '?', so a label never silently drops one.
    glyph: (ch) => glyphs.get(ch) ?? glyphs.get('?') ?? blank,
  };
  cache.set(file, font);
  return font;
}
