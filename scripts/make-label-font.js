/* global document */
// Generates resources/labels/font-mono.json: a 1-bit bitmap of DejaVu Sans Mono Bold (ASCII 32-126)
// drawn by Chromium, so PNG labels can carry text without a native font rasteriser. Run once:
//   node scripts/make-label-font.js   (needs /usr/bin/chromium and the DejaVu fonts)
import fs from 'node:fs';
import { chromium } from '@playwright/test';

const CELL_H = 48; // pixels per glyph cell: ascender to descender
const FONT_PX = 40;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
const font = await page.evaluate(
  async ({ cellH, fontPx }) => {
    const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    ctx.font = `bold ${fontPx}px "DejaVu Sans Mono"`;
    const width = Math.ceil(ctx.measureText('M').width);
    const m = ctx.measureText('Mg');
    const ascent = Math.ceil(m.fontBoundingBoxAscent);
    ctx.canvas.width = width;
    ctx.canvas.height = cellH;
    const glyphs = {};
    for (let c = 32; c < 127; c++) {
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, width, cellH);
      ctx.fillStyle = '#000';
      ctx.font = `bold ${fontPx}px "DejaVu Sans Mono"`;
      ctx.textBaseline = 'alphabetic';
      ctx.fillText(String.fromCharCode(c), 0, ascent);
      const px = ctx.getImageData(0, 0, width, cellH).data;
      const rows = [];
      for (let y = 0; y < cellH; y++) {
        let bits = '';
        for (let x = 0; x < width; x++) bits += px[(y * width + x) * 4] < 128 ? '1' : '0';
        rows.push(BigInt('0b' + bits).toString(16));
      }
      glyphs[String.fromCharCode(c)] = rows;
    }
    return { family: 'DejaVu Sans Mono Bold', width, height: cellH, ascent, glyphs };
  },
  { cellH: CELL_H, fontPx: FONT_PX },
);
await browser.close();
fs.writeFileSync('resources/labels/font-mono.json', JSON.stringify(font));
console.log(`font ${font.width}x${font.height}, ${Object.keys(font.glyphs).length} glyphs`);
