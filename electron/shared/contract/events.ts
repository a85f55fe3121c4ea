import type { CloudCounts } from './cloud';
import type { SerializeJournalEntry } from './serialize';
import type { JobReport } from './jobs';

/** Events pushed from the services to every window (IPC) or browser (WebSocket). Imports types only. */
export interface UnitsChangedEvent {
  /** Claim IDs that changed; empty means "many, refresh everything". */
  claimIds: string[];
}

/** The outbox moved (throttled): enough for a count; screens reload details on it. */
export interface CloudChangedEvent {
  counts: CloudCounts;
  running: boolean;
}

export interface LinesideEvents {
  jobProgress: JobReport;
  unitsChanged: UnitsChangedEvent;
  cloudChanged: CloudChangedEvent;
  serializeAnswered: SerializeJournalEntry;
}

export const eventChannels = {
  jobProgress: 'jobs:on-progress',
  unitsChanged: 'units:on-changed',
  cloudChanged: 'cloud:on-changed',
  serializeAnswered: 'serialize:on-answered',
} as const satisfies { readonly [K in keyof LinesideEvents]: `${string}:on-${string}` };

export type EventName = keyof LinesideEvents;
