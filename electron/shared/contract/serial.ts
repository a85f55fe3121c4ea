import * as z from 'zod';
import { noArgs } from './fields';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';

/**
 * Serial ports, fixture slots and the serial terminal. Ports are listed from the OS (ptys never
 * appear: a path can always be typed by hand). A fixture slot binds "slot N" to a USB location
 * (the hub path, e.g. `1-1.2`) or a VID/PID/serial filter, so a slot keeps its identity when
 * device names reshuffle after a replug.
 */
export interface SerialPortReport {
  /** What to open, e.g. `/dev/ttyUSB0`. */
  path: string;
  /** Four hex digits, lower case, when the OS gives it. */
  vendorId: string | null;
  productId: string | null;
  serialNumber: string | null;
  manufacturer: string | null;
  product: string | null;
  /** The USB location (hub path), e.g. `1-1.2`: stable for a physical socket of the fixture. */
  location: string | null;
}

export interface PortListReport {
  ports: SerialPortReport[];
  /** What the station could not find out, and what is missing (e.g. `udevadm`). */
  warnings: string[];
}

export interface PortsChangedEvent {
  ports: SerialPortReport[];
  added: string[];
  removed: string[];
}

const portPath = lazySchema(() => z.string().trim().min(1, 'enter a port path, e.g. /dev/ttyUSB0').max(300));
const hex4 = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{4}$/, 'four hex digits, e.g. 10c4')
    .transform((s) => s.toLowerCase()),
);

export const slotMatchSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
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
  ]),
);
export type SlotMatch = z.output<typeof slotMatchSchema>;

export const slotBindingSchema = lazySchema(() =>
  z
    .object({
      /** 1-based, as printed on the fixture. */
      slot: z.number().int().min(1).max(64),
      label: z.string().trim().max(40).optional(),
      match: slotMatchSchema,
    })
    .strict(),
);
export type SlotBinding = z.output<typeof slotBindingSchema>;

export interface SlotReport {
  binding: SlotBinding;
  /** The port the slot resolves to right now; null when nothing (or more than one thing) matches. */
  path: string | null;
  /** Why the slot has no port, in the technician's words. */
  problem: string | null;
}

export const setSlotsRequest = lazySchema(() =>
  z
    .object({ slots: z.array(slotBindingSchema).max(64) })
    .strict()
    .refine((r) => new Set(r.slots.map((s) => s.slot)).size === r.slots.length, {
      message: 'each slot number may be bound once',
      path: ['slots'],
    }),
);
export type SetSlotsRequest = z.output<typeof setSlotsRequest>;

export const openTerminalRequest = lazySchema(() =>
  z
    .object({
      path: portPath,
      baudRate: z.number().int().min(300).max(4_000_000).optional(),
      /** Also append everything received to a log file in the station's data directory. */
      log: z.boolean().optional(),
    })
    .strict(),
);
export type OpenTerminalRequest = z.output<typeof openTerminalRequest>;

export interface TerminalReport {
  sessionId: string;
  path: string;
  baudRate: number;
  /** The log file on the station, when logging. */
  logPath: string | null;
}

const sessionId = lazySchema(() => z.string().min(1).max(100));

export const writeTerminalRequest = lazySchema(() =>
  z
    .object({
      sessionId,
      /** Text typed by the user (UTF-8). */
      data: z.string().max(65536),
    })
    .strict(),
);
export type WriteTerminalRequest = z.output<typeof writeTerminalRequest>;

export interface TerminalDataEvent {
  sessionId: string;
  /** The port the session has open (a client may subscribe to a port's sessions). */
  path: string;
  /** Received bytes, base64 (binary safe). Empty when `closed`. */
  data: string;
  /** Set once, when the port closed or was unplugged. */
  closed?: { reason: string };
}

export const serialOperations = {
  listPorts: op('serial:list-ports', noArgs).returns<PortListReport>(),
  getSlots: op('serial:get-slots', noArgs).returns<SlotReport[]>(),
  setSlots: op('serial:set-slots', setSlotsRequest).returns<SlotReport[]>(),
  openTerminal: op('serial:open-terminal', openTerminalRequest).returns<TerminalReport>(),
  writeTerminal: op('serial:write-terminal', writeTerminalRequest).returns<void>(),
  closeTerminal: op(
    'serial:close-terminal',
    lazySchema(() => z.object({ sessionId }).strict()),
  ).returns<void>(),
};

export type SerialOps = OpsOf<typeof serialOperations>;
export const serialChannels = channelsOf(serialOperations);
export const serialSchemas = schemasOf(serialOperations);
