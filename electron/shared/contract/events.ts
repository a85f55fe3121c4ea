import type { JobReport } from './jobs';
import type { PortsChangedEvent, TerminalDataEvent } from './serial';

/** Events pushed from the services to every window (IPC) or browser (WebSocket). Imports types only. */
export interface UnitsChangedEvent {
  /** Claim IDs that changed; empty means "many, refresh everything". */
  claimIds: string[];
}

export interface LinesideEvents {
  jobProgress: JobReport;
  unitsChanged: UnitsChangedEvent;
  portsChanged: PortsChangedEvent;
  terminalData: TerminalDataEvent;
}

export const eventChannels = {
  jobProgress: 'jobs:on-progress',
  unitsChanged: 'units:on-changed',
  portsChanged: 'serial:on-ports-changed',
  terminalData: 'serial:on-terminal-data',
} as const satisfies { readonly [K in keyof LinesideEvents]: `${string}:on-${string}` };

export type EventName = keyof LinesideEvents;
