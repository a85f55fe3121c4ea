import type { ChannelMap, Op } from './types';

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

export type SlotMatch =
  | { kind: 'location'; location: string }
  | { kind: 'usb'; vendorId?: string; productId?: string; serialNumber?: string }
  | { kind: 'path'; path: string };

export interface SlotBinding {
  /** 1-based, as printed on the fixture. */
  slot: number;
  label?: string;
  match: SlotMatch;
}

export interface SlotReport {
  binding: SlotBinding;
  /** The port the slot resolves to right now; null when nothing (or more than one thing) matches. */
  path: string | null;
  /** Why the slot has no port, in the technician's words. */
  problem: string | null;
}

export interface SetSlotsRequest {
  slots: SlotBinding[];
}

export interface OpenTerminalRequest {
  path: string;
  baudRate?: number;
  /** Also append everything received to a log file in the station's data directory. */
  log?: boolean;
}

export interface TerminalReport {
  sessionId: string;
  path: string;
  baudRate: number;
  /** The log file on the station, when logging. */
  logPath: string | null;
}

export interface WriteTerminalRequest {
  sessionId: string;
  /** Text typed by the user (UTF-8). */
  data: string;
}

export interface TerminalDataEvent {
  sessionId: string;
  /** The port the session has open (a client may subscribe to a port's sessions). */
  path: string;
  /** Received bytes, base64 (binary safe). Empty when `closed`. */
  data: string;
  /** Set once, when the port closed or was unplugged. */
  closed?: { reason: string };
}

export interface SerialOps {
  listPorts: Op<void, PortListReport>;
  getSlots: Op<void, SlotReport[]>;
  setSlots: Op<SetSlotsRequest, SlotReport[]>;
  openTerminal: Op<OpenTerminalRequest, TerminalReport>;
  writeTerminal: Op<WriteTerminalRequest, void>;
  closeTerminal: Op<{ sessionId: string }, void>;
}

export const serialChannels = {
  listPorts: 'serial:list-ports',
  getSlots: 'serial:get-slots',
  setSlots: 'serial:set-slots',
  openTerminal: 'serial:open-terminal',
  writeTerminal: 'serial:write-terminal',
  closeTerminal: 'serial:close-terminal',
} as const satisfies ChannelMap<SerialOps>;
