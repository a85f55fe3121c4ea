import type { AccessStateReport } from './access';
import type { CloudCounts } from './cloud';
import type { LineStatusReport } from './line';
import type { SerializeJournalEntry } from './serialize';
import type { JobReport } from './jobs';
import type { StationSlotReport } from './station';
import type { PortsChangedEvent, TerminalDataEvent } from './serial';

/**
 * Events pushed from the services to the windows (IPC) and browsers (WebSocket): broadcast, except the
 * scoped ones in scopes.ts (terminal data, slots, jobs). Imports types only.
 */
export interface UnitsChangedEvent {
  /** Claim IDs that changed; empty means "many, refresh everything". */
  claimIds: string[];
}

/** Work orders whose counts or state changed (a reservation batch, a void, a new order). */
export interface OrdersChangedEvent {
  orderIds: string[];
}

export interface DeviceStoreChangedEvent {
  sourceId: string;
  /** Sort keys that changed; empty when the source closed. */
  sks: string[];
}

/** The outbox moved (throttled): enough for a count; screens reload details on it. */
export interface CloudChangedEvent {
  counts: CloudCounts;
  running: boolean;
}

export interface LinesideEvents {
  jobProgress: JobReport;
  unitsChanged: UnitsChangedEvent;
  ordersChanged: OrdersChangedEvent;
  /** A slot's card changed: step, bytes, time, PASS/FAIL (throttled while bytes move). */
  stationSlot: StationSlotReport;
  portsChanged: PortsChangedEvent;
  terminalData: TerminalDataEvent;
  deviceStoreChanged: DeviceStoreChangedEvent;
  cloudChanged: CloudChangedEvent;
  serializeAnswered: SerializeJournalEntry;
  /** The station was locked or unlocked, or an operator signed in or out. */
  accessChanged: AccessStateReport;
  /** Line mode changed state, or its outbox/lease counts moved (throttled). */
  lineChanged: LineStatusReport;
}

export const eventChannels = {
  jobProgress: 'jobs:on-progress',
  unitsChanged: 'units:on-changed',
  ordersChanged: 'orders:on-changed',
  stationSlot: 'station:on-slot',
  portsChanged: 'serial:on-ports-changed',
  terminalData: 'serial:on-terminal-data',
  deviceStoreChanged: 'devstore:on-changed',
  cloudChanged: 'cloud:on-changed',
  serializeAnswered: 'serialize:on-answered',
  accessChanged: 'access:on-changed',
  lineChanged: 'line:on-changed',
} as const satisfies { readonly [K in keyof LinesideEvents]: `${string}:on-${string}` };

export type EventName = keyof LinesideEvents;
