import path from 'node:path';
import type {
  LabelDesignerOps,
  LabelSettings,
  LabelsOps,
  SaveLabelsRequest,
  UnitSummary,
} from '../../shared/contract';
import { createLabelDesigner } from '../labels/designer';
import { Failure } from '../failure';
import type { Jobs } from '../jobs';
import { createPrintAudit } from '../labels/audit';
import {
  createDriver,
  listSystemPrinters,
  renderFile,
  saveFile,
  type SystemPrintAdapter,
} from '../labels/drivers';
import type { LabelProfileInput } from '../labels/fields';
import type { LaidOutLabel } from '../labels/layout';
import { createLabelPrinting, PRINTABLE_STATES, type LabelPrinting } from '../labels/printing';
import { loadBitmapFont } from '../labels/render/bitmapFont';
import { renderInWorker } from '../labels/renderPool';
import { renderPdf } from '../labels/render/pdf';
import { renderPng } from '../labels/render/png';
import { renderSvg } from '../labels/render/svg';
import { renderZpl } from '../labels/render/zpl';
import { createTemplateLibrary } from '../labels/templates';
import type { LoadedTemplate } from '../labels/types';
import type { Store } from '../store';
import type { ServiceImpl } from './types';

const SETTINGS_KEY = 'labels';
const DEFAULT_SETTINGS: LabelSettings = {
  printer: null,
  template: 'claim-50x30',
  product: '',
  model: '',
  copies: 1,
};

export interface LabelsDeps {
  store: Store;
  jobs: Jobs;
  dataDir: string;
  /** The app's resources folder (holds labels/ with the built-in templates and the font). */
  resourcesDir: string;
  /** Electron's silent window print; absent in browser mode and the CLI (CUPS `lp` is used). */
  systemPrint?: SystemPrintAdapter | null;
  /** The unit's profile for its label (electron/core/line-wiring); null = the Labels settings fallback. */
  profileFor?: (unit: UnitSummary) => LabelProfileInput | null;
}

export function labelsStationDir(dataDir: string): string {
  return path.join(dataDir, 'labels');
}

export function createLabelsService(deps: LabelsDeps): {
  service: ServiceImpl<LabelsOps>;
  designer: ServiceImpl<LabelDesignerOps>;
  printing: LabelPrinting;
} {
  const { store, jobs } = deps;
  const builtInDir = path.join(deps.resourcesDir, 'labels');
  const stationDir = labelsStationDir(deps.dataDir);
  const library = createTemplateLibrary({ builtInDir, stationDir });
  const font = loadBitmapFont(path.join(builtInDir, 'font-mono.json'));
  const audit = createPrintAudit(store);
  const settings = (): LabelSettings => ({
    ...DEFAULT_SETTINGS,
    ...store.settings.get<Partial<LabelSettings>>(SETTINGS_KEY, {}),
  });
  const printing = createLabelPrinting({
    store,
    audit,
    library,
    settings,
    profileFor: deps.profileFor ?? (() => null),
    driver: (setup) => createDriver(setup, { font, systemPrint: deps.systemPrint ?? null }),
  });

  function unitsFor(req: Pick<SaveLabelsRequest, 'orderId' | 'claimIds'>): UnitSummary[] {
    const units = req.orderId
      ? audit.orderUnits(req.orderId)
      : (req.claimIds ?? []).map((id) => {
          const unit = store.units.get(id);
          if (!unit) throw new Failure('not-found', `No unit with claim ID ${id} on this station.`);
          return unit;
        });
    const printable = units.filter((u) => PRINTABLE_STATES.includes(u.state));
    if (printable.length === 0)
      throw new Failure(
        'not-found',
        req.orderId
          ? `Order ${req.orderId} has no verified units to label.`
          : 'None of these units is verified: only units that passed get a label.',
      );
    return printable;
  }

  const service: ServiceImpl<LabelsOps> = {
    listLabelTemplates() {
      const { loaded, broken } = library.list();
      return {
        templates: loaded.map((l) => ({
          name: l.template.name,
          version: l.template.version,
          versionTag: l.versionTag,
          description: l.template.description,
          widthMm: l.template.width,
          heightMm: l.template.height,
          dpi: l.template.dpi,
          source: l.source,
          fields: l.template.fields,
        })),
        broken,
        stationDir,
      };
    },
    previewLabel({ template, claimId }) {
      let shown: { loaded: LoadedTemplate; label: LaidOutLabel; claimId: string };
      if (claimId) {
        const unit = store.units.get(claimId);
        if (!unit)
          throw new Failure('not-found', `No unit with claim ID ${claimId} on this station.`, {
            field: 'claimId',
          });
        shown = { ...printing.labelFor(unit, template), claimId: unit.claimId };
      } else {
        const sample = printing.sampleLabel(template);
        shown = { ...sample, claimId: sample.data.claimId };
      }
      const { loaded, label } = shown;
      return {
        template: loaded.template.name,
        versionTag: loaded.versionTag,
        claimId: shown.claimId,
        svg: renderSvg(label),
        png: renderPng(label, font).toString('base64'),
        payload: label.payload,
        widthMm: label.widthMm,
        heightMm: label.heightMm,
        dpi: label.dpi,
      };
    },
    getLabelSettings: () => settings(),
    updateLabelSettings(patch) {
      if (patch.template) library.get(patch.template);
      const next = { ...settings(), ...patch };
      store.transaction(() => {
        store.settings.set(SETTINGS_KEY, next);
        store.events.append({ kind: 'settings.labels-changed', data: { ...patch } });
      });
      return next;
    },
    async listPrinters() {
      try {
        return { system: await listSystemPrinters(deps.systemPrint), error: null };
      } catch (error) {
        return { system: [], error: error instanceof Error ? error.message : String(error) };
      }
    },
    printTestLabel: () => printing.printTest(),
    printUnitLabel: ({ claimId, printer }) => printing.printUnit(claimId, printer ? { printer } : {}),
    reprintLabel: ({ claimId, reason }) => printing.reprint(claimId, reason),
    printOrderLabels({ orderId, printer }) {
      if (audit.orderUnits(orderId).length === 0)
        throw new Failure('not-found', `Order ${orderId} has no units on this station.`, {
          field: 'orderId',
        });
      let jobId: string | null = null;
      const report = jobs.start({
        kind: 'labels.print-order',
        label: `Labels for order ${orderId}`,
        total: 0,
        run: (ctx) =>
          printing.printOrder(
            orderId,
            {
              jobId,
              progress: (done, total) => ctx.progress(done, total),
              throwIfCancelled: () => ctx.throwIfCancelled(),
            },
            printer,
          ),
      });
      jobId = report.jobId;
      return { jobId: report.jobId };
    },
    listLabelPrints: (req) => audit.list(req),
    async saveLabels(req) {
      const units = unitsFor(req);
      const dir = req.dir ?? path.join(stationDir, 'out');
      const base = req.orderId ?? units[0]!.claimId;
      const files: string[] = [];
      const labels: LaidOutLabel[] = [];
      // Laid out in slices that give the event loop back; PNG and PDF render in a worker, a
      // slice of PNGs in flight at once while the next slice is laid out.
      let inFlight: Promise<void> = Promise.resolve();
      for (let at = 0; at < units.length; at += 20) {
        const slice = units
          .slice(at, at + 20)
          .map((u) => ({ u, label: printing.labelFor(u, req.template).label }));
        if (req.format === 'png') {
          const rendered = Promise.all(slice.map((x) => renderFile(x.label, 'png', font)));
          await inFlight;
          inFlight = rendered.then((pngs) => {
            pngs.forEach((png, i) => files.push(saveFile(dir, slice[i]!.u.claimId, 'png', png)));
          });
        } else labels.push(...slice.map((x) => x.label));
        await new Promise((r) => setImmediate(r));
      }
      await inFlight;
      if (req.format === 'zpl')
        files.push(saveFile(dir, base, 'zpl', Buffer.from(labels.map((l) => renderZpl(l)).join(''))));
      else if (req.format === 'pdf') {
        const sheet = req.sheet ?? 'label';
        const pdf =
          renderInWorker({ format: 'pdf', labels, sheet, fontFile: font.file! }) ?? renderPdf(labels, sheet);
        files.push(saveFile(dir, base, 'pdf', await pdf));
      }
      return { files, labels: units.length };
    },
  };
  const designer = createLabelDesigner({
    store,
    library,
    audit,
    font,
    builtInDir,
    stationDir,
    settings,
    driver: (setup) => createDriver(setup, { font, systemPrint: deps.systemPrint ?? null }),
  });
  return {
    service,
    printing,
    designer: {
      openLabelDraft: ({ name }) => designer.open(name),
      renderLabelDraft: ({ template }) => designer.render(template),
      saveLabelDraft: ({ template }) => designer.save(template),
      printLabelDraft: ({ template }) => designer.testPrint(template),
      addLabelImage: ({ fileName, png }) => designer.addImage(fileName, Buffer.from(png, 'base64')),
    },
  };
}
