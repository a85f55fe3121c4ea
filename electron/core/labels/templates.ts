import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import { pngjs } from './lazyPackages';
import { z } from 'zod';
import { MiB, readBoundedText } from '../boundedRead';
import { Failure } from '../failure';
import { placeholders } from './fields';
import { layoutLabel } from './layout';
import {
  BUILT_IN_FIELDS,
  type Bitmap,
  type LabelData,
  type LabelTemplate,
  type LoadedTemplate,
} from './types';

const mm = (what: string) =>
  z.number({ error: `${what} must be a number of millimetres` }).refine((n) => n > 0, {
    message: `${what} must be more than 0 mm`,
  });
const at = z.number().min(0, 'must be 0 mm or more');

const elementSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('qr'),
      x: at,
      y: at,
      size: mm('size'),
      payload: z.string().min(1, 'the QR payload must not be empty').default('{{id}}'),
      errorCorrection: z.enum(['L', 'M', 'Q', 'H']).default('M'),
      quietZone: z.number().int().min(0).max(8).default(2),
    })
    .strict(),
  z
    .object({
      type: z.literal('text'),
      x: at,
      y: at,
      height: mm('height'),
      value: z.string(),
      mono: z.boolean().default(false),
      bold: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      type: z.literal('image'),
      x: at,
      y: at,
      width: mm('width'),
      height: mm('height'),
      file: z.string().regex(/^[\w.-]+\.png$/, 'must be a PNG file name next to the template'),
    })
    .strict(),
]);

export const templateSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes'),
    version: z.number().int().min(1).default(1),
    description: z.string().default(''),
    width: mm('width'),
    height: mm('height'),
    dpi: z.union([z.literal(203), z.literal(300)], { error: 'dpi must be 203 or 300' }),
    claimIdGroups: z.array(z.number().int().min(1).max(20)).default([]),
    fields: z.array(z.string().regex(/^[A-Za-z_][\w-]*$/)).default([]),
    elements: z.array(elementSchema).min(1, 'a label needs at least one element'),
  })
  .strict();

/** A unit whose label checks that a template works: the longest claim ID the agent accepts. */
export const SAMPLE_DATA: LabelData = {
  claimId: 'M72DANY8BZ',
  product: 'Sample Product',
  model: 'SP-1',
  serial: 'SN000001',
  created: '2026-11-21',
  orderId: 'WO-SAMPLE',
  fields: {},
};

function invalid(name: string, message: string, detail?: string): Failure {
  return new Failure('validation', `Template "${name}": ${message}`, detail ? { detail } : {});
}

function readBitmap(file: string): Bitmap {
  const png = pngjs.PNG.sync.read(fs.readFileSync(file));
  const bits = new Uint8Array(png.width * png.height);
  for (let i = 0; i < bits.length; i++) {
    const [r, g, b, a] = [png.data[i * 4]!, png.data[i * 4 + 1]!, png.data[i * 4 + 2]!, png.data[i * 4 + 3]!];
    bits[i] = a > 127 && 0.299 * r + 0.587 * g + 0.114 * b < 128 ? 1 : 0;
  }
  return { width: png.width, height: png.height, bits };
}

/** Parses and checks one template file; every problem gets its own message. */
export function loadTemplateFile(
  file: string,
  source: LoadedTemplate['source'],
  imageDirs: string[],
): LoadedTemplate {
  const fallbackName = path.basename(file).replace(/\.json5?$/, '');
  const text = readBoundedText(file, { what: 'label template', maxBytes: MiB });
  let raw: unknown;
  try {
    raw = JSON5.parse(text);
  } catch (error) {
    throw invalid(fallbackName, `${path.basename(file)} is not valid JSON5.`, String(error));
  }
  return checkTemplate(raw, { name: fallbackName, file, source, text, imageDirs });
}

/**
 * Checks a parsed template (from a file, or a draft from the label designer) exactly as a file is
 * checked: schema, fields, bounds, logo files, and a sample label laid out.
 */
export function checkTemplate(
  input: unknown,
  where: { name: string; file: string; source: LoadedTemplate['source']; text: string; imageDirs: string[] },
): LoadedTemplate {
  const { file, source, text, imageDirs } = where;
  let raw = input;
  // The file name is the template's name (what profiles refer to).
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) raw = { ...raw, name: where.name };
  const parsed = templateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.join('.');
    throw invalid(where.name, `${at ? `${at}: ` : ''}${issue.message}.`, file);
  }
  const template = parsed.data as LabelTemplate;
  const known = new Set<string>([...BUILT_IN_FIELDS, ...template.fields]);
  for (const [i, e] of template.elements.entries()) {
    const value = e.type === 'qr' ? e.payload : e.type === 'text' ? e.value : '';
    for (const name of placeholders(value)) {
      if (!known.has(name))
        throw invalid(
          template.name,
          `elements.${i} uses {{${name}}}, which is not a label field. Use one of ${[...known].join(', ')}, ` +
            `or list "${name}" under fields.`,
        );
    }
    const w = e.type === 'qr' ? e.size : e.type === 'image' ? e.width : 0;
    const h = e.type === 'qr' ? e.size : e.height;
    if (e.x + w > template.width + 1e-9 || e.y + h > template.height + 1e-9)
      throw invalid(
        template.name,
        `elements.${i} (${e.type}) reaches past the ${template.width} x ${template.height} mm label: move or shrink it.`,
      );
  }
  const images = new Map<string, Bitmap>();
  for (const e of template.elements) {
    if (e.type !== 'image' || images.has(e.file)) continue;
    const found = imageDirs.map((d) => path.join(d, e.file)).find((f) => fs.existsSync(f));
    if (!found)
      throw invalid(
        template.name,
        `the logo file ${e.file} was not found. Put it in ${imageDirs.join(' or ')}.`,
      );
    try {
      images.set(e.file, readBitmap(found));
    } catch (error) {
      throw invalid(template.name, `the logo file ${e.file} is not a readable PNG.`, String(error));
    }
  }
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  const loaded: LoadedTemplate = {
    template,
    file,
    source,
    versionTag: `${template.name}@${template.version}#${hash}`,
    images,
  };
  // Lays out a sample label, so a QR code that cannot fit is caught when the template loads.
  layoutLabel(loaded, SAMPLE_DATA);
  return loaded;
}

export interface TemplateListing {
  loaded: LoadedTemplate[];
  /** Templates that failed to load, with the reason (shown on the Labels screen). */
  broken: { name: string; file: string; message: string }[];
}

export interface TemplateLibrary {
  list(): TemplateListing;
  /** Loads one template by name; the station's folder wins over the built-in ones. */
  get(name: string): LoadedTemplate;
}

export function createTemplateLibrary(deps: { builtInDir: string; stationDir: string }): TemplateLibrary {
  const dirs: [string, LoadedTemplate['source']][] = [
    [deps.stationDir, 'station'],
    [deps.builtInDir, 'built-in'],
  ];
  const imageDirs = [deps.stationDir, deps.builtInDir];
  // A batch lays out thousands of labels from one template: load it once, again only when it changes.
  const cache = new Map<string, { stamp: string; loaded: LoadedTemplate }>();
  const load = (file: string, source: LoadedTemplate['source']): LoadedTemplate => {
    const st = fs.statSync(file);
    const stamp = `${st.mtimeMs}:${st.size}:${imageDirs
      .map((d) => (fs.existsSync(d) ? fs.statSync(d).mtimeMs : 0))
      .join(':')}`;
    const hit = cache.get(file);
    if (hit && hit.stamp === stamp) return hit.loaded;
    const loaded = loadTemplateFile(file, source, imageDirs);
    cache.set(file, { stamp, loaded });
    return loaded;
  };
  const filesByName = () => {
    const byName = new Map<string, [string, LoadedTemplate['source']]>();
    for (const [dir, source] of dirs) {
      if (!fs.existsSync(dir)) continue;
      for (const f of fs.readdirSync(dir).sort()) {
        if (!/\.json5?$/.test(f) || f === 'font-mono.json') continue;
        const name = f.replace(/\.json5?$/, '');
        if (!byName.has(name)) byName.set(name, [path.join(dir, f), source]);
      }
    }
    return byName;
  };
  return {
    list() {
      const loaded: LoadedTemplate[] = [];
      const broken: TemplateListing['broken'] = [];
      for (const [name, [file, source]] of filesByName()) {
        try {
          loaded.push(load(file, source));
        } catch (error) {
          broken.push({ name, file, message: error instanceof Error ? error.message : String(error) });
        }
      }
      return { loaded, broken };
    },
    get(name) {
      const found = filesByName().get(name);
      if (!found)
        throw new Failure(
          'not-found',
          `No label template named "${name}": put ${name}.json5 in ${deps.stationDir}.`,
          { field: 'template' },
        );
      return load(found[0], found[1]);
    },
  };
}
