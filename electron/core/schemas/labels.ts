import { z } from 'zod';
import type { LabelsOps } from '../../shared/contract';
import { claimIdArg, noArgs } from './common';
import type { SchemaMap } from './types';

const templateName = z.string().trim().min(1).max(64);
const orderId = z.string().trim().min(1, 'enter a work order').max(80);
const format = z.enum(['zpl', 'pdf', 'png']);

export const printerSetupSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('zpl-tcp'),
      host: z.string().trim().min(1, 'enter the printer address').max(255),
      port: z.number().int().min(1).max(65535),
    })
    .strict(),
  z
    .object({
      kind: z.literal('system'),
      name: z.string().trim().min(1, 'choose a printer').max(255),
      server: z.string().trim().max(255).nullable(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('file'),
      dir: z.string().trim().min(1, 'enter a folder').max(1000),
      format,
    })
    .strict(),
]);

export const labelsSchemas = {
  listLabelTemplates: noArgs,
  previewLabel: z
    .object({ template: templateName.optional(), claimId: claimIdArg.nullable().optional() })
    .strict(),
  getLabelSettings: noArgs,
  updateLabelSettings: z
    .object({
      printer: printerSetupSchema.nullable().optional(),
      template: templateName.optional(),
      product: z.string().trim().max(80).optional(),
      model: z.string().trim().max(80).optional(),
      copies: z.number().int().min(1).max(10).optional(),
    })
    .strict(),
  listPrinters: noArgs,
  printTestLabel: noArgs,
  printUnitLabel: z.object({ claimId: claimIdArg, printer: printerSetupSchema.optional() }).strict(),
  reprintLabel: z
    .object({
      claimId: claimIdArg,
      reason: z.string().trim().min(3, 'say why the label is printed again').max(200),
    })
    .strict(),
  printOrderLabels: z.object({ orderId, printer: printerSetupSchema.optional() }).strict(),
  listLabelPrints: z
    .object({
      claimId: claimIdArg.optional(),
      orderId: orderId.optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict(),
  saveLabels: z
    .object({
      orderId: orderId.optional(),
      claimIds: z.array(claimIdArg).max(100_000).optional(),
      format,
      dir: z.string().trim().min(1).max(1000).optional(),
      template: templateName.optional(),
      sheet: z.enum(['label', 'A4', 'Letter']).optional(),
    })
    .strict()
    .refine((r) => r.orderId || (r.claimIds && r.claimIds.length > 0), {
      message: 'give an order or claim IDs',
      path: ['orderId'],
    }),
} satisfies SchemaMap<LabelsOps>;
