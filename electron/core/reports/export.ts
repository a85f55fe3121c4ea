import type { ShiftReport, ShiftReportFileReport } from '../../shared/contract';
import { MIME } from '../../shared/mime';

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
const slotName = (slot: number | null) => (slot === null ? 'no slot' : `slot ${slot}`);

function baseName(r: ShiftReport): string {
  const parts = ['shift', r.from.slice(0, 16).replace(/[:T]/g, '-')];
  if (r.station) parts.push(r.station);
  if (r.orderId) parts.push(r.orderId);
  return parts.join('-').replace(/[^\w.-]+/g, '_');
}

/** One table for scripts: section, key, value, detail (every number the screen shows). */
export function shiftReportCsv(r: ShiftReport): string {
  const rows: (string | number | null)[][] = [['section', 'key', 'value', 'detail']];
  rows.push(['window', 'from', r.from, ''], ['window', 'to', r.to, '']);
  rows.push(['window', 'station', r.station ?? 'all', ''], ['window', 'order', r.orderId ?? 'all', '']);
  rows.push(
    ['summary', 'units', r.units, ''],
    ['summary', 'passed', r.passed, ''],
    ['summary', 'failed', r.failed, ''],
    ['summary', 'attempts', r.attempts, ''],
    ['summary', 'failed_before_claim', r.failedBeforeClaim, ''],
    ['summary', 'first_pass_yield', r.firstPassYield === null ? '' : r.firstPassYield.toFixed(4), ''],
    ['summary', 'reworks', r.reworks.length, ''],
    ['summary', 'reprints', r.reprints.length, ''],
  );
  for (const s of r.slots)
    s.unitsPerHour.forEach((v, i) =>
      rows.push(['units_per_hour', `${slotName(s.slot)}@${r.buckets[i]}`, v, '']),
    );
  for (const f of r.failureReasons)
    rows.push([
      'failure',
      `${f.code}@${f.step}`,
      f.count,
      `${(f.cumulative * 100).toFixed(1)}% ${f.message}`,
    ]);
  for (const w of r.reworks) rows.push(['rework', w.claimId, w.at, `from ${w.from} by ${w.operator}`]);
  for (const p of r.reprints) rows.push(['reprint', p.claimId, p.at, `${p.reason} (by ${p.operator})`]);
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

/** The report on one A4 page: numbers, both charts drawn as vectors, reworks and reprints. */
export async function shiftReportPdf(r: ShiftReport): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit'); // loaded when a PDF is made: it is slow to load
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: 'Lineside shift report' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = 40;
  const width = doc.page.width - 80;
  const bottom = doc.page.height - 40;
  const line = (text: string, x: number, y: number, size = 9, opts: PDFKit.Mixins.TextOptions = {}) =>
    doc.fontSize(size).text(text, x, y, { lineBreak: false, ...opts });

  doc.font('Helvetica-Bold');
  line('Shift report', left, 40, 18);
  doc.font('Helvetica');
  line(`${r.from} to ${r.to} · station ${r.station ?? 'all'} · order ${r.orderId ?? 'all'}`, left, 64, 9);
  const stats: [string, string][] = [
    ['Units', String(r.units)],
    ['Passed', String(r.passed)],
    ['Failed', String(r.failed)],
    ['First-pass yield', pct(r.firstPassYield)],
    ['Reworks', String(r.reworks.length)],
    ['Reprints', String(r.reprints.length)],
  ];
  stats.forEach(([k, v], i) => {
    const x = left + i * (width / stats.length);
    line(k, x, 84, 8);
    doc.font('Helvetica-Bold');
    line(v, x, 96, 16);
    doc.font('Helvetica');
  });

  // Units per hour per slot, grouped bars per bucket.
  let y = 130;
  line(`Units per hour per slot (${r.bucketMinutes}-minute bars)`, left, y, 11);
  y += 16;
  const chartH = 150;
  const max = Math.max(1, ...r.slots.flatMap((s) => s.unitsPerHour));
  doc
    .strokeColor('#999')
    .moveTo(left, y + chartH)
    .lineTo(left + width, y + chartH)
    .stroke();
  line(`${max.toFixed(0)}/h`, left, y, 7);
  const groupW = width / Math.max(1, r.buckets.length);
  const barW = Math.max(1, (groupW * 0.8) / Math.max(1, r.slots.length));
  r.slots.forEach((s, k) =>
    s.unitsPerHour.forEach((v, i) => {
      const h = (v / max) * (chartH - 12);
      if (h > 0)
        doc
          .rect(left + i * groupW + groupW * 0.1 + k * barW, y + chartH - h, barW, h)
          .fill(COLOURS[k % COLOURS.length]!);
    }),
  );
  doc.fillColor('#000');
  const labelEvery = Math.ceil(r.buckets.length / 8);
  r.buckets.forEach((b, i) => {
    if (i % labelEvery === 0) line(b.slice(11, 16), left + i * groupW, y + chartH + 3, 7);
  });
  r.slots.forEach((s, k) => {
    doc.rect(left + k * 70, y + chartH + 16, 8, 8).fill(COLOURS[k % COLOURS.length]!);
    doc.fillColor('#000');
    line(`${slotName(s.slot)}: ${s.passed}`, left + k * 70 + 11, y + chartH + 16, 8);
  });
  y += chartH + 36;

  // Failure reasons, most frequent first, with the cumulative share (Pareto).
  line('Failure reasons', left, y, 11);
  y += 16;
  const reasons = r.failureReasons.slice(0, 8);
  const maxCount = Math.max(1, ...reasons.map((f) => f.count));
  if (reasons.length === 0) line('No failures.', left, y, 9);
  for (const f of reasons) {
    line(`${f.code} (${f.step})`, left, y, 8, { width: 130, ellipsis: true });
    doc.rect(left + 135, y, ((width - 235) * f.count) / maxCount, 9).fill('#d62728');
    doc.fillColor('#000');
    line(`${f.count} · ${(f.cumulative * 100).toFixed(0)} %`, left + width - 95, y, 8);
    y += 13;
  }
  if (r.failureReasons.length > reasons.length) {
    line(`and ${r.failureReasons.length - reasons.length} more reasons`, left, y, 8);
    y += 13;
  }
  y += 10;

  const list = (title: string, items: string[]) => {
    line(title, left, y, 11);
    y += 15;
    const room = Math.max(0, Math.floor((bottom - y - 30) / 12 / 2));
    const shown = items.slice(0, room);
    if (items.length === 0) line('None.', left, y, 8);
    for (const item of shown) {
      line(item, left, y, 8, { width, ellipsis: true });
      y += 12;
    }
    if (items.length > shown.length) {
      line(`and ${items.length - shown.length} more (see the CSV or JSON export)`, left, y, 8);
      y += 12;
    }
    y += 12;
  };
  list(
    `Reworks (${r.reworks.length})`,
    r.reworks.map((w) => `${w.at.slice(0, 19)}  ${w.claimId}  from ${w.from}  by ${w.operator}`),
  );
  list(
    `Reprints (${r.reprints.length})`,
    r.reprints.map((p) => `${p.at.slice(0, 19)}  ${p.claimId}  ${p.reason}  by ${p.operator}`),
  );
  doc.end();
  return done;
}

export async function exportShiftReport(
  r: ShiftReport,
  format: 'csv' | 'json' | 'pdf',
): Promise<ShiftReportFileReport> {
  const name = baseName(r);
  if (format === 'csv')
    return { fileName: `${name}.csv`, mimeType: MIME.csv, content: shiftReportCsv(r), encoding: 'utf8' };
  if (format === 'json')
    return {
      fileName: `${name}.json`,
      mimeType: MIME.json,
      content: `${JSON.stringify(r, null, 2)}\n`,
      encoding: 'utf8',
    };
  return {
    fileName: `${name}.pdf`,
    mimeType: MIME.pdf,
    content: (await shiftReportPdf(r)).toString('base64'),
    encoding: 'base64',
  };
}
