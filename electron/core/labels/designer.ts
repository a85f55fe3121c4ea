import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { pngjs } from './lazyPackages';
import type {
  LabelDraftReport,
  LabelPrintEntry,
  LabelRasterReport,
  LabelTemplateDraft,
  PrinterSetup,
  SavedLabelTemplateReport,
} from '../../shared/contract';
import { Failure } from '../failure';
import type { Store } from '../store';
import type { PrintAudit } from './audit';
import type { PrinterDriver } from './drivers';
import { layoutLabel, type LaidOutLabel } from './layout';
import { TEST_CLAIM_ID } from './printing';
import type { BitmapFont } from './render/bitmapFont';
import { renderPng } from './render/png';
import { SAMPLE_DATA, checkTemplate, type TemplateLibrary } from './templates';
import type { LabelData, LoadedTemplate } from './types';

/**
 * The label designer's core (see electron/shared/contract/labelDesigner.ts). A draft is checked by
 * the same code as a template file; its preview is `renderPng`, the file printer's own renderer,
 * with the data a test print uses, so the preview and the test label are the same raster.
 */
export interface LabelDesigner {
  open(name: string): LabelDraftReport;
  render(draft: LabelTemplateDraft): LabelRasterReport;
  save(draft: LabelTemplateDraft): SavedLabelTemplateReport;
  testPrint(draft: LabelTemplateDraft): Promise<LabelPrintEntry>;
  addImage(fileName: string, png: Buffer): { images: string[] };
}

export interface LabelDesignerDeps {
  store: Store;
  library: TemplateLibrary;
  audit: PrintAudit;
  font: BitmapFont;
  builtInDir: string;
  stationDir: string;
  settings(): { product: string; model: string; printer: PrinterSetup | null };
  driver(setup: PrinterSetup): PrinterDriver;
}

/** The template file's text for a draft: what is hashed into its version tag and what is saved. */
export function templateText(draft: LabelTemplateDraft, version: number): string {
  const { name: _name, ...rest } = draft;
  return `${JSON5.stringify({ version, ...rest }, null, 2)}\n`;
}

export function createLabelDesigner(deps: LabelDesignerDeps): LabelDesigner {
  const { library, font } = deps;
  const imageDirs = [deps.stationDir, deps.builtInDir];

  function currentVersion(name: string): number {
    try {
      return library.get(name).template.version;
    } catch {
      return 0;
    }
  }

  function load(draft: LabelTemplateDraft, version: number): LoadedTemplate {
    return checkTemplate(
      { ...(JSON5.parse(templateText(draft, version)) as object), name: draft.name },
      {
        name: draft.name,
        file: path.join(deps.stationDir, `${draft.name}.json5`),
        source: 'station',
        text: templateText(draft, version),
        imageDirs,
      },
    );
  }

  /** The unit a preview and a test label show: never a real claim ID (TESTLABEL1 has an L). */
  function sample(): LabelData {
    const s = deps.settings();
    return {
      ...SAMPLE_DATA,
      claimId: TEST_CLAIM_ID,
      product: s.product || SAMPLE_DATA.product,
      model: s.model || SAMPLE_DATA.model,
    };
  }

  function boxes(label: LaidOutLabel, dpmm: number) {
    const mm = (dots: number) => Math.round((dots / dpmm) * 100) / 100;
    return label.ops.map((op) => {
      if (op.kind === 'qr') {
        const side = op.module * (op.size + 2 * op.quietZone);
        return { x: mm(op.x), y: mm(op.y), width: mm(side), height: mm(side) };
      }
      if (op.kind === 'text') {
        const cw = Math.max(1, Math.round(font.width * (op.height / font.height)));
        return { x: mm(op.x), y: mm(op.y), width: mm(cw * [...op.text].length), height: mm(op.height) };
      }
      return { x: mm(op.x), y: mm(op.y), width: mm(op.width), height: mm(op.height) };
    });
  }

  function images(): string[] {
    const found = new Set<string>();
    for (const dir of imageDirs)
      if (fs.existsSync(dir)) for (const f of fs.readdirSync(dir)) if (/\.png$/i.test(f)) found.add(f);
    return [...found].sort();
  }

  return {
    addImage(fileName, png) {
      try {
        pngjs.PNG.sync.read(png);
      } catch (error) {
        throw new Failure('validation', `${fileName} is not a readable PNG image.`, {
          field: 'png',
          detail: String(error),
        });
      }
      const file = path.join(deps.stationDir, fileName);
      if (fs.existsSync(file) && !fs.readFileSync(file).equals(png))
        throw new Failure(
          'conflict',
          `A different ${fileName} is already in ${deps.stationDir}: rename the file.`,
          {
            field: 'fileName',
          },
        );
      fs.mkdirSync(deps.stationDir, { recursive: true });
      fs.writeFileSync(file, png);
      deps.store.events.append({ kind: 'label.image-added', data: { fileName, bytes: png.length } });
      return { images: images() };
    },
    open(name) {
      const loaded = library.get(name);
      const t = loaded.template;
      return {
        template: {
          name: t.name,
          description: t.description,
          width: t.width,
          height: t.height,
          dpi: t.dpi,
          claimIdGroups: t.claimIdGroups,
          fields: t.fields,
          elements: t.elements,
        },
        version: t.version,
        versionTag: loaded.versionTag,
        source: loaded.source,
        images: images(),
      };
    },
    render(draft) {
      const loaded = load(draft, currentVersion(draft.name) + 1);
      const data = sample();
      const label = layoutLabel(loaded, data);
      return {
        png: renderPng(label, font).toString('base64'),
        widthDots: label.widthDots,
        heightDots: label.heightDots,
        dpi: label.dpi,
        widthMm: label.widthMm,
        heightMm: label.heightMm,
        payload: label.payload,
        claimId: data.claimId,
        versionTag: loaded.versionTag,
        boxes: boxes(label, label.widthDots / label.widthMm),
      };
    },
    save(draft) {
      const before = currentVersion(draft.name);
      const version = before + 1;
      const loaded = load(draft, version);
      const file = path.join(deps.stationDir, `${draft.name}.json5`);
      fs.mkdirSync(deps.stationDir, { recursive: true });
      let previous: string | null = null;
      // The version it replaces stays readable: every print's audit names its version tag.
      if (fs.existsSync(file)) {
        const old = fs.readFileSync(file, 'utf8');
        const dir = path.join(deps.stationDir, 'versions');
        fs.mkdirSync(dir, { recursive: true });
        previous = path.join(dir, `${draft.name}@${before}.json5`);
        if (!fs.existsSync(previous)) fs.writeFileSync(previous, old);
      }
      const temp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, templateText(draft, version));
      fs.renameSync(temp, file);
      const saved = library.get(draft.name);
      if (saved.versionTag !== loaded.versionTag)
        throw new Failure('io', `The template ${draft.name} did not read back as it was saved.`, {
          detail: `${saved.versionTag} != ${loaded.versionTag}`,
        });
      deps.store.events.append({
        kind: 'label.template-saved',
        data: { name: draft.name, version, versionTag: saved.versionTag, previous },
      });
      return { name: draft.name, version, versionTag: saved.versionTag, file, previous };
    },
    async testPrint(draft) {
      const setup = deps.settings().printer;
      if (!setup)
        throw new Failure(
          'unavailable',
          'No label printer is set up: choose one on the Labels screen, then print again.',
        );
      const loaded = load(draft, currentVersion(draft.name) + 1);
      const driver = deps.driver(setup);
      await driver.send(layoutLabel(loaded, sample()), 1, TEST_CLAIM_ID);
      return deps.audit.record({
        claimId: TEST_CLAIM_ID,
        orderId: null,
        template: draft.name,
        templateVersion: `${loaded.versionTag} (draft)`,
        printer: driver.name,
        copies: 1,
        kind: 'test',
      });
    },
  };
}
