/**
 * The label render worker (worker_threads): PNG and PDF rendering off the main thread, so the
 * Electron main process and the bridge's event loop stay responsive while an order's labels
 * render. Gets laid-out labels (plain data), answers the file's bytes. See renderPool.ts.
 */
import { parentPort } from 'node:worker_threads';
import type { LaidOutLabel } from './layout';
import { qrMatrix, type QrMatrix } from './qr';
import { loadBitmapFont } from './render/bitmapFont';
import { renderPdf, type SheetLayout } from './render/pdf';
import { renderPng } from './render/png';

export interface RenderJob {
  id: number;
  format: 'png' | 'pdf';
  labels: LaidOutLabel[];
  sheet?: SheetLayout;
  fontFile: string;
}

export type RenderAnswer =
  { id: number; ok: true; data: Uint8Array } | { id: number; ok: false; message: string };

/** The QR matrix back on each QR op, encoded here on first use (renderPool.ts leaves it out). */
function withMatrices(label: LaidOutLabel): LaidOutLabel {
  return {
    ...label,
    ops: label.ops.map((op) => {
      if (op.kind !== 'qr') return op;
      let matrix: QrMatrix | null = null;
      return {
        ...op,
        get matrix() {
          return (matrix ??= qrMatrix(op.payload, op.errorCorrection, label.templateName));
        },
      };
    }),
  };
}

parentPort?.on('message', (message: RenderJob) => {
  void (async () => {
    const job = { ...message, labels: message.labels.map(withMatrices) };
    try {
      const out =
        job.format === 'png'
          ? renderPng(job.labels[0]!, loadBitmapFont(job.fontFile))
          : await renderPdf(job.labels, job.sheet ?? 'label');
      // A fresh buffer of its own, so transferring it never takes a shared pool slab along.
      const data = new Uint8Array(out.length);
      data.set(out);
      parentPort!.postMessage({ id: job.id, ok: true, data } satisfies RenderAnswer, [data.buffer]);
    } catch (error) {
      parentPort!.postMessage({
        id: job.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      } satisfies RenderAnswer);
    }
  })();
});
