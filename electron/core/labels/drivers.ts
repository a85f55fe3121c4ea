import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LabelFileFormat, PrinterSetup } from '../../shared/contract';
import { Failure } from '../failure';
import type { LaidOutLabel } from './layout';
import type { BitmapFont } from './render/bitmapFont';
import { renderPdf } from './render/pdf';
import { renderInWorker } from './renderPool';
import { renderPng } from './render/png';
import { renderSvg } from './render/svg';
import { renderZpl } from './render/zpl';
import { lpPrint, lpQueues } from './printers/cups';
import { sendRaw } from './printers/raw9100';

/** One label for the system print path (Electron's silent print, or CUPS). */
export interface SystemPrintJob {
  svg: string;
  pdf: Buffer;
  widthMm: number;
  heightMm: number;
  printer: string;
  copies: number;
  title: string;
}

/** Electron's window print, injected by electron/main; without it system printers go through CUPS. */
export interface SystemPrintAdapter {
  print(job: SystemPrintJob): Promise<void>;
  list(): Promise<string[]>;
}

export interface PrinterDriver {
  /** How the audit names this printer. */
  name: string;
  send(label: LaidOutLabel, copies: number, title: string): Promise<void>;
}

export function printerName(setup: PrinterSetup): string {
  if (setup.kind === 'zpl-tcp') return `zpl://${setup.host}:${setup.port}`;
  if (setup.kind === 'system') return `system:${setup.name}${setup.server ? `@${setup.server}` : ''}`;
  return `file:${setup.dir} (${setup.format})`;
}

/** One label (with its copies) as a file of the given format. */
export async function renderFile(
  label: LaidOutLabel,
  format: LabelFileFormat,
  font: BitmapFont,
  copies = 1,
): Promise<Buffer> {
  if (format === 'zpl') return Buffer.from(renderZpl(label, copies));
  const labels = format === 'png' ? [label] : Array.from({ length: copies }, () => label);
  // PNG and PDF are CPU work: a worker thread does it when it can (renderPool.ts).
  const inWorker = font.file ? renderInWorker({ format, labels, fontFile: font.file }) : null;
  if (inWorker) return inWorker;
  if (format === 'png') return renderPng(label, font);
  return renderPdf(labels);
}

function freeName(dir: string, base: string, ext: string): string {
  const safe = base.replace(/[^\w.-]+/g, '_') || 'label';
  for (let n = 1; ; n++) {
    const file = path.join(dir, `${safe}${n === 1 ? '' : `-${n}`}.${ext}`);
    if (!fs.existsSync(file)) return file;
  }
}

export function saveFile(dir: string, base: string, ext: string, data: Buffer): string {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const file = freeName(dir, base, ext);
    fs.writeFileSync(file, data, { flag: 'wx' });
    return file;
  } catch (error) {
    throw new Failure('io', `Labels cannot be saved in ${dir}: check the folder exists and is writable.`, {
      detail: String(error),
      cause: error,
    });
  }
}

export function createDriver(
  setup: PrinterSetup,
  deps: {
    font: BitmapFont;
    systemPrint?: SystemPrintAdapter | null;
    connectTimeoutMs?: number;
    writeTimeoutMs?: number;
  },
): PrinterDriver {
  const name = printerName(setup);
  if (setup.kind === 'zpl-tcp') {
    return {
      name,
      send: (label, copies) =>
        sendRaw(
          {
            host: setup.host,
            port: setup.port,
            connectTimeoutMs: deps.connectTimeoutMs,
            writeTimeoutMs: deps.writeTimeoutMs,
          },
          renderZpl(label, copies),
        ),
    };
  }
  if (setup.kind === 'file') {
    return {
      name,
      async send(label, copies, title) {
        saveFile(setup.dir, title, setup.format, await renderFile(label, setup.format, deps.font, copies));
      },
    };
  }
  return {
    name,
    async send(label, copies, title) {
      const pdf = await renderPdf([label]);
      if (deps.systemPrint) {
        await deps.systemPrint.print({
          svg: renderSvg(label),
          pdf,
          widthMm: label.widthMm,
          heightMm: label.heightMm,
          printer: setup.name,
          copies,
          title,
        });
        return;
      }
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineside-label-'));
      try {
        const file = path.join(dir, 'label.pdf');
        fs.writeFileSync(file, pdf);
        await lpPrint({
          file,
          queue: setup.name,
          server: setup.server,
          copies,
          widthMm: label.widthMm,
          heightMm: label.heightMm,
          title,
        });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export async function listSystemPrinters(systemPrint?: SystemPrintAdapter | null): Promise<string[]> {
  return systemPrint ? systemPrint.list() : lpQueues();
}
