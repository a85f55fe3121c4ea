import { z } from 'zod';
import type { StationOps } from '../../shared/contract';
import { claimIdArg, noArgs } from './common';
import type { SchemaMap } from './types';
import { CONTROL_CHARS, SERIAL_MAX } from '../orders/serials';

const slot = z.number().int().min(1, 'slots are numbered from 1').max(8, 'a fixture has at most 8 slots');
const port = z.string().trim().min(1, 'enter a port path').max(300);
const orderId = z.string().trim().min(1, 'enter a work order').max(80);
const serial = z
  .string()
  .trim()
  .min(1, 'scan a serial number')
  .max(SERIAL_MAX, `a serial number has at most ${SERIAL_MAX} characters`)
  .refine((s) => !CONTROL_CHARS.test(s), 'a serial number may not contain control characters (CR, LF, tab)');

export const stationSchemas = {
  getStationState: noArgs,
  configureStation: z
    .object({
      activeOrderId: orderId.nullable().optional(),
      slotCount: z.number().int().min(1).max(8).optional(),
      ports: z.record(z.string().regex(/^[1-8]$/, 'slot numbers are 1 to 8'), port).optional(),
    })
    .strict(),
  startUnit: z
    .object({
      slot: slot.optional(),
      orderId,
      serial: serial.optional(),
      port: port.optional(),
      rework: claimIdArg.optional(),
      wait: z.boolean().optional(),
    })
    .strict(),
  retryUnit: z.object({ slot, wait: z.boolean().optional() }).strict(),
  resumeUnit: z
    .object({
      claimId: claimIdArg,
      slot: slot.optional(),
      port: port.optional(),
      wait: z.boolean().optional(),
    })
    .strict(),
  cancelUnit: z.object({ slot, wait: z.boolean().optional() }).strict(),
  clearSlot: z.object({ slot, wait: z.boolean().optional() }).strict(),
  getUnitRun: z.object({ claimId: claimIdArg }).strict(),
  getSlotConsole: z.object({ slot, wait: z.boolean().optional() }).strict(),
} satisfies SchemaMap<StationOps>;
