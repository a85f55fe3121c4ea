/**
 * Electron's silent print for labels: a hidden, locked-down window shows one label at its page size
 * and prints it to a named printer without a dialog. Used by core through the SystemPrintAdapter
 * (core never imports Electron). Imported only by electron/main/index.ts.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, WebContents } from 'electron';
import type { SystemPrintAdapter, SystemPrintJob } from '../core/labels/drivers';
import { Failure } from '../core/failure';
import { SECURE_WEB_PREFERENCES } from './security';

/** The page that holds one label: no margins, the page exactly the label's size. */
export function labelPage(job: Pick<SystemPrintJob, 'svg' | 'widthMm' | 'heightMm' | 'title'>): string {
  const title = job.title.replace(/[<>&"]/g, '');
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">` +
    `<style>@page{size:${job.widthMm}mm ${job.heightMm}mm;margin:0}html,body{margin:0;padding:0}` +
    `svg{display:block;width:${job.widthMm}mm;height:${job.heightMm}mm}</style></head>` +
    `<body>${job.svg}</body></html>`
  );
}

export function createElectronLabelPrinter(
  Window: new (options: BrowserWindowConstructorOptions) => BrowserWindow,
): SystemPrintAdapter {
  function hiddenWindow(): BrowserWindow {
    return new Window({
      show: false,
      webPreferences: { ...SECURE_WEB_PREFERENCES, javascript: false },
    });
  }

  function printOnce(contents: WebContents, job: SystemPrintJob): Promise<void> {
    return new Promise((resolve, reject) => {
      contents.print(
        {
          silent: true,
          deviceName: job.printer,
          printBackground: true,
          copies: job.copies,
          // Microns: the label's own size, so the driver does not scale it onto a sheet.
          pageSize: { width: Math.round(job.widthMm * 1000), height: Math.round(job.heightMm * 1000) },
          margins: { marginType: 'none' },
        },
        (ok, reason) =>
          ok
            ? resolve()
            : reject(
                new Failure(
                  'unavailable',
                  `Printer ${job.printer} did not take the label (${reason || 'no reason given'}): check it, then press Retry.`,
                ),
              ),
      );
    });
  }

  return {
    async print(job) {
      const win = hiddenWindow();
      try {
        await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(labelPage(job))}`);
        await printOnce(win.webContents, job);
      } finally {
        if (!win.isDestroyed()) win.destroy();
      }
    },
    async list() {
      const win = hiddenWindow();
      try {
        return (await win.webContents.getPrintersAsync()).map((p) => p.name);
      } finally {
        if (!win.isDestroyed()) win.destroy();
      }
    },
  };
}
