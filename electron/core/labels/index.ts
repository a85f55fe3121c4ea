/**
 * The labels module, built once where services are composed: templates (built-in and the
 * station's), the bitmap font, the print audit, the Labels settings, printing for the station run
 * and the designer. The labels handler (handlers/labels.ts) and the line wiring use what it builds.
 */
import path from 'node:path';
import type { LabelSettings, UnitSummary } from '../../shared/contract';
import type { Store } from '../store';
import { createPrintAudit, type PrintAudit } from './audit';
import { createLabelDesigner, type LabelDesigner } from './designer';
import { createDriver, listSystemPrinters, type SystemPrintAdapter } from './drivers';
import type { LabelProfileInput } from './fields';
import { createLabelPrinting, type LabelPrinting } from './printing';
import { loadBitmapFont, type BitmapFont } from './render/bitmapFont';
import { createTemplateLibrary, type TemplateLibrary } from './templates';

const SETTINGS_KEY = 'labels';
export const DEFAULT_LABEL_SETTINGS: LabelSettings = {
  printer: null,
  template: 'claim-50x30',
  product: '',
  model: '',
  copies: 1,
};

export interface LabelsDeps {
  store: Store;
  dataDir: string;
  /** The app's resources folder (holds labels/ with the built-in templates and the font). */
  resourcesDir: string;
  /** Electron's silent window print; absent in browser mode and the CLI (CUPS `lp` is used). */
  systemPrint?: SystemPrintAdapter | null;
  /** The unit's profile for its label (core/line-wiring); null = the Labels settings fallback. */
  profileFor?: (unit: UnitSummary) => LabelProfileInput | null;
}

export interface Labels {
  /** resources/labels: the templates shipped with Lineside and the font. */
  builtInDir: string;
  /** <data>/labels: the station's own templates and images. */
  stationDir: string;
  library: TemplateLibrary;
  font: BitmapFont;
  audit: PrintAudit;
  /** The Labels settings as stored, over the defaults. */
  settings(): LabelSettings;
  /** Stores the patched settings (and logs the change) in one transaction; returns them. */
  updateSettings(patch: Partial<LabelSettings>): LabelSettings;
  /** The system's printers (Electron's list in the window, CUPS elsewhere). */
  listSystemPrinters(): ReturnType<typeof listSystemPrinters>;
  printing: LabelPrinting;
  designer: LabelDesigner;
}

function labelsStationDir(dataDir: string): string {
  return path.join(dataDir, 'labels');
}

/** The Labels settings a store holds, over the defaults. */
export function readLabelSettings(store: Store): LabelSettings {
  return { ...DEFAULT_LABEL_SETTINGS, ...store.settings.get<Partial<LabelSettings>>(SETTINGS_KEY, {}) };
}

export function createLabels(deps: LabelsDeps): Labels {
  const { store } = deps;
  const builtInDir = path.join(deps.resourcesDir, 'labels');
  const stationDir = labelsStationDir(deps.dataDir);
  const library = createTemplateLibrary({ builtInDir, stationDir });
  const font = loadBitmapFont(path.join(builtInDir, 'font-mono.json'));
  const audit = createPrintAudit(store);
  const settings = () => readLabelSettings(store);
  const driver = (setup: Parameters<typeof createDriver>[0]) =>
    createDriver(setup, { font, systemPrint: deps.systemPrint ?? null });
  const printing = createLabelPrinting({
    store,
    audit,
    library,
    settings,
    profileFor: deps.profileFor ?? (() => null),
    driver,
  });
  const designer = createLabelDesigner({
    store,
    library,
    audit,
    font,
    builtInDir,
    stationDir,
    settings,
    driver,
  });
  return {
    builtInDir,
    stationDir,
    library,
    font,
    audit,
    settings,
    updateSettings(patch) {
      if (patch.template) library.get(patch.template);
      const next = { ...settings(), ...patch };
      store.transaction(() => {
        store.settings.set(SETTINGS_KEY, next);
        store.events.append({ kind: 'settings.labels-changed', data: { ...patch } });
      });
      return next;
    },
    listSystemPrinters: () => listSystemPrinters(deps.systemPrint),
    printing,
    designer,
  };
}
