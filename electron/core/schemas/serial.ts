import { z } from 'zod';
import type { SerialOps } from '../../shared/contract';
import { noArgs } from './common';
import type { SchemaMap } from './types';

const portPath = z.string().trim().min(1, 'enter a port path, e.g. /dev/ttyUSB0').max(300);
const hex4 = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{4}$/, 'four hex digits, e.g. 10c4')
  .transform((s) => s.toLowerCase());
const baudRate = z.number().int().min(300).max(4_000_000);

const slotMatch = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('location'),
      location: z.string().trim().min(1, 'enter a USB location, e.g. 1-1.2'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('usb'),
      vendorId: hex4.optional(),
      productId: hex4.optional(),
      serialNumber: z.string().trim().min(1).optional(),
    })
    .strict()
    .refine(
      (m) => m.vendorId || m.productId || m.serialNumber,
      'give at least a VID, a PID or a serial number',
    ),
  z.object({ kind: z.literal('path'), path: portPath }).strict(),
]);

const slotBinding = z
  .object({
    slot: z.number().int().min(1).max(64),
    label: z.string().trim().max(40).optional(),
    match: slotMatch,
  })
  .strict();

const sessionId = z.string().min(1).max(100);

export const serialSchemas = {
  listPorts: noArgs,
  getSlots: noArgs,
  setSlots: z
    .object({ slots: z.array(slotBinding).max(64) })
    .strict()
    .refine((r) => new Set(r.slots.map((s) => s.slot)).size === r.slots.length, {
      message: 'each slot number may be bound once',
      path: ['slots'],
    }),
  openTerminal: z
    .object({ path: portPath, baudRate: baudRate.optional(), log: z.boolean().optional() })
    .strict(),
  writeTerminal: z.object({ sessionId, data: z.string().max(65536) }).strict(),
  closeTerminal: z.object({ sessionId }).strict(),
} satisfies SchemaMap<SerialOps>;
