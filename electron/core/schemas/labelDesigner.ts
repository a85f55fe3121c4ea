import { z } from 'zod';
import type { LabelDesignerOps } from '../../shared/contract';
import type { SchemaMap } from './types';

// Shapes only: the designer checks a draft with the template file's own rules and messages.
const mm = z.number().finite().min(0).max(1000);
const element = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('qr'),
      x: mm,
      y: mm,
      size: mm,
      payload: z.string().max(2000),
      errorCorrection: z.enum(['L', 'M', 'Q', 'H']),
      quietZone: z.number().int().min(0).max(8),
    })
    .strict(),
  z
    .object({
      type: z.literal('text'),
      x: mm,
      y: mm,
      height: mm,
      value: z.string().max(500),
      mono: z.boolean(),
      bold: z.boolean(),
    })
    .strict(),
  z
    .object({ type: z.literal('image'), x: mm, y: mm, width: mm, height: mm, file: z.string().max(200) })
    .strict(),
]);
const template = z
  .object({
    name: z.string().trim().min(1, 'name the template').max(64),
    description: z.string().max(500),
    width: mm,
    height: mm,
    dpi: z.union([z.literal(203), z.literal(300)], { error: 'dpi must be 203 or 300' }),
    claimIdGroups: z.array(z.number().int().min(1).max(20)).max(20),
    fields: z.array(z.string().max(64)).max(50),
    elements: z.array(element).max(100),
  })
  .strict();

export const labelDesignerSchemas = {
  openLabelDraft: z.object({ name: z.string().trim().min(1).max(64) }).strict(),
  renderLabelDraft: z.object({ template }).strict(),
  saveLabelDraft: z.object({ template }).strict(),
  printLabelDraft: z.object({ template }).strict(),
  addLabelImage: z
    .object({
      fileName: z.string().regex(/^[\w.-]{1,60}\.png$/i, 'a PNG file name like logo.png'),
      png: z.string().max(2_000_000, 'a logo is at most 1.5 MB'),
    })
    .strict(),
} satisfies SchemaMap<LabelDesignerOps>;
