import type { SaveLabelsRequest } from '../../../shared/contract';
import { pngjs } from '../lazyPackages';
import type { LaidOutLabel } from '../layout';

/** The saveLabels request's sheet choice. */
export type SheetLayout = NonNullable<SaveLabelsRequest['sheet']>;

const PT_PER_MM = 72 / 25.4;
const SHEETS: Record<Exclude<SheetLayout, 'label'>, [number, number]> = {
  A4: [210, 297],
  Letter: [215.9, 279.4],
};
const SHEET_MARGIN_MM = 10;
const SHEET_GAP_MM = 2;

function bitmapPng(bits: Uint8Array, width: number, height: number): Buffer {
  const png = new pngjs.PNG({ width, height });
  for (let i = 0; i < bits.length; i++) {
    const v = bits[i] ? 0 : 255;
    png.data[i * 4] = png.data[i * 4 + 1] = png.data[i * 4 + 2] = v;
    png.data[i * 4 + 3] = 255;
  }
  return pngjs.PNG.sync.write(png);
}

/** Logo bitmaps as data URIs: pdfkit embeds an image once per document per distinct string. */
type Images = Map<unknown, string>;

function drawLabel(
  doc: PDFKit.PDFDocument,
  label: LaidOutLabel,
  ox: number,
  oy: number,
  images: Images,
): void {
  const s = 72 / label.dpi; // points per dot
  for (const op of label.ops) {
    if (op.kind === 'qr') {
      const q = op.quietZone * op.module;
      const { size, data } = op.matrix;
      // One rectangle per run of dark modules in a row: a third of the drawing operations.
      for (let r = 0; r < size; r++)
        for (let c = 0; c < size; c++) {
          if (!data[r * size + c]) continue;
          let end = c;
          while (end + 1 < size && data[r * size + end + 1]) end++;
          doc.rect(
            ox + (op.x + q + c * op.module) * s,
            oy + (op.y + q + r * op.module) * s,
            (end - c + 1) * op.module * s,
            op.module * s,
          );
          c = end;
        }
      doc.fill('#000');
    } else if (op.kind === 'text') {
      const font = op.mono ? 'Courier-Bold' : op.bold ? 'Helvetica-Bold' : 'Helvetica';
      const size = op.height * s;
      doc.font(font).fontSize(size).fillColor('#000');
      // Baseline at 80% of the line height, as in the SVG and PNG renderers.
      doc.text(op.text, ox + op.x * s, oy + op.y * s + size * 0.8, {
        lineBreak: false,
        baseline: 'alphabetic',
      });
    } else {
      // The same logo on every page is embedded once.
      let image = images.get(op.bitmap);
      if (!image) {
        image = `data:image/png;base64,${bitmapPng(op.bitmap.bits, op.bitmap.width, op.bitmap.height).toString('base64')}`;
        images.set(op.bitmap, image);
      }
      doc.image(image, ox + op.x * s, oy + op.y * s, {
        width: op.width * s,
        height: op.height * s,
      });
    }
  }
}

/**
 * One PDF: one page per label at the label's size, or labels in a grid on A4/Letter sheets.
 * Vector QR modules, so a sheet printer at any resolution prints sharp codes.
 */
export async function renderPdf(labels: LaidOutLabel[], sheet: SheetLayout = 'label'): Promise<Buffer> {
  // Loaded on first use: pdfkit's fonts take a good part of a second to load (CLI start-up).
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ autoFirstPage: false, margin: 0, info: { Title: 'Lineside labels' } });
  const chunks: Buffer[] = [];
  const images: Images = new Map();
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (sheet === 'label') {
    for (const label of labels) {
      doc.addPage({ size: [label.widthMm * PT_PER_MM, label.heightMm * PT_PER_MM], margin: 0 });
      drawLabel(doc, label, 0, 0, images);
    }
  } else if (labels.length > 0) {
    const [pw, ph] = SHEETS[sheet];
    const { widthMm: lw, heightMm: lh } = labels[0]!;
    const cols = Math.max(1, Math.floor((pw - 2 * SHEET_MARGIN_MM + SHEET_GAP_MM) / (lw + SHEET_GAP_MM)));
    const rows = Math.max(1, Math.floor((ph - 2 * SHEET_MARGIN_MM + SHEET_GAP_MM) / (lh + SHEET_GAP_MM)));
    labels.forEach((label, i) => {
      const slot = i % (cols * rows);
      if (slot === 0) doc.addPage({ size: [pw * PT_PER_MM, ph * PT_PER_MM], margin: 0 });
      const x = SHEET_MARGIN_MM + (slot % cols) * (lw + SHEET_GAP_MM);
      const y = SHEET_MARGIN_MM + Math.floor(slot / cols) * (lh + SHEET_GAP_MM);
      drawLabel(doc, label, x * PT_PER_MM, y * PT_PER_MM, images);
    });
  }
  doc.end();
  return done;
}
