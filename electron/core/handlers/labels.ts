import path from 'node:path';
import type { LabelDesignerOps, LabelsOps, SaveLabelsRequest, UnitSummary } from '../../shared/contract';
import { Failure } from '../failure';
import type { Jobs } from '../jobs';
import type { Labels } from '../labels';
import { renderFile, saveFile } from '../labels/drivers';
import type { LaidOutLabel } from '../labels/layout';
import { PRINTABLE_STATES } from '../labels/printing';
import { renderInWorker } from '../labels/renderPool';
import { renderPdf } from '../labels/render/pdf';
import { renderPng } from '../labels/render/png';
import { renderSvg } from '../labels/render/svg';
import { renderZpl } from '../labels/render/zpl';
import type { LoadedTemplate } from '../labels/types';
import type { Store } from '../store';
import type { ServiceImpl } from './types';

/** The labels and label-designer operations over the labels module built by services.ts (core/labels). */
export function createLabelsHandlers(deps: { labels: Labels; store: Store; jobs: Jobs }): {
  service: ServiceImpl<LabelsOps>;
  designer: ServiceImpl<LabelDesignerOps>;
} {
  const { store, jobs, labels } = deps;
  const { library, font, audit, printing, stationDir } = labels;
  const settings = labels.settings;

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
    updateLabelSettings: (patch) => labels.updateSettings(patch),
    async listPrinters() {
      try {
        return { system: await labels.listSystemPrinters(), error: null };
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
  const { designer } = labels;
  return {
    service,
    designer: {
      openLabelDraft: ({ name }) => designer.open(name),
      renderLabelDraft: ({ template }) => designer.render(template),
      saveLabelDraft: ({ template }) => designer.save(template),
      printLabelDraft: ({ template }) => designer.testPrint(template),
      addLabelImage: ({ fileName, png }) => designer.addImage(fileName, Buffer.from(png, 'base64')),
    },
  };
}
