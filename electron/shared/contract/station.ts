import type { ErrorInfo } from '../errors';
import type { ChannelMap, Op } from './types';
import type { UnitState } from './units';

/**
 * The station run: one card per fixture slot. A unit goes connect -> claim (its ID) -> write ->
 * verify -> commit -> after (label, cloud). The journal in the store says where every unit stopped,
 * so an interrupted unit is resumed or reworked with the same claim ID.
 */
export type StationStep = 'connect' | 'claim' | 'write' | 'verify' | 'commit' | 'after';

export const stationSteps: readonly StationStep[] = [
  'connect',
  'claim',
  'write',
  'verify',
  'commit',
  'after',
];

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/** Phases inside a step that a transport reports (esp32: erase and write in Write, verify in Read back). */
export type StageName = 'erase' | 'write' | 'verify';

export interface StageReport {
  stage: StageName;
  bytesDone: number;
  bytesTotal: number;
  done: boolean;
}

export interface StepReport {
  step: StationStep;
  status: StepStatus;
  bytesDone: number;
  bytesTotal: number;
  /** Milliseconds spent in the step so far (or in total once it ended). */
  ms: number;
  /** The step's phases, in the order they began, when the transport reports them. */
  stages?: StageReport[];
}

export type SlotStatus = 'idle' | 'running' | 'pass' | 'fail';

/**
 * Whether the slot can take a unit: `ok` (bound and present), `unbound` (no port bound in
 * Settings), `missing` (bound, but nothing is there now: unplugged hub, wrong location).
 */
export type SlotPortState = 'ok' | 'unbound' | 'missing';

/**
 * What reading the unit found, when it stopped the usual run: `already-provisioned` (it holds a
 * verified claim ID: nothing written, PASS) or `conflict` (its identity does not add up: set aside).
 */
export type SlotIdentityNote = 'already-provisioned' | 'conflict';

export interface StationSlotReport {
  slot: number;
  port: string | null;
  portState: SlotPortState;
  /** Why the slot has no usable port, in the technician's words (null when it has one). */
  portProblem?: string | null;
  status: SlotStatus;
  claimId: string | null;
  serial: string | null;
  orderId: string | null;
  unitState: UnitState | null;
  /** True when the unit already had its claim ID (rework or resume): no new identity was issued. */
  rework: boolean;
  identity: SlotIdentityNote | null;
  /** The claim ID the unit held when it was read (null: none, or not read yet). */
  heldClaimId: string | null;
  steps: StepReport[];
  /** Why the unit failed, in one sentence, with the technical detail. */
  failure: ErrorInfo | null;
  /** What the technician does next, in one sentence. */
  nextAction: string;
  retransmissions: number;
  /** Problems in the after-PASS hooks (label, cloud): the unit stays verified. */
  warnings: string[];
  startedAt: string | null;
  finishedAt: string | null;
}

/** A unit the journal says was interrupted (crash, power cut) and not being worked on now. */
export interface InterruptedUnitReport {
  claimId: string;
  serial: string | null;
  orderId: string | null;
  state: UnitState;
  slot: number | null;
  port: string | null;
  /** The last step the journal recorded. */
  step: StationStep;
  updatedAt: string;
}

/** A failed unit of the active order: its claim ID waits for rework. */
export interface FailedUnitReport {
  claimId: string;
  serial: string | null;
  slot: number | null;
  step: StationStep;
  failure: ErrorInfo | null;
  updatedAt: string;
}

export interface StationConfig {
  /** The work order the technician is running, locked by the engineer. */
  activeOrderId: string | null;
  slotCount: number;
  /**
   * Port path per slot number ("1".."8") as the fixture slots in Settings (serial.slots) resolve
   * now; setting it binds those slots to the typed paths. A slot without one says "no port bound".
   */
  ports: Record<string, string>;
}

/** A unit being worked, as its lease row in the database says (expired ones included). */
export interface LeaseReport {
  claimId: string;
  station: string;
  host: string;
  pid: number;
  slot: number | null;
  port: string | null;
  takenAt: string;
  expiresAt: string;
  /** The holder stopped renewing it (killed, frozen, lost power): the unit can be resumed. */
  expired: boolean;
  /** The holder's process on this host no longer exists: the unit can be resumed now. */
  holderGone: boolean;
}

export interface StationStateReport {
  config: StationConfig;
  /** Every unit lease in the database, this station's and others' (expired ones are kept visible). */
  leases: LeaseReport[];
  /** False until a device transport is wired in: starting a unit then fails with a clear message. */
  deviceTransport: boolean;
  slots: StationSlotReport[];
  interrupted: InterruptedUnitReport[];
  /** The active order's most recent failed units not shown on a slot card (at most 20). */
  failed: FailedUnitReport[];
  /** Counts for the active order. */
  order: { orderId: string; good: number; failed: number; reserved: number; total: number } | null;
}

export interface StartUnitRequest {
  /** Omitted: the station picks the first free slot (idle, port present), or says which to unplug. */
  slot?: number;
  orderId: string;
  /**
   * A scanned serial number: when a unit already has it, that unit is reworked with its claim ID.
   * A claim ID of the order's failed or interrupted unit is accepted too (rework by claim ID).
   */
  serial?: string;
  /** Port path; defaults to the slot's configured port. */
  port?: string;
  /**
   * An engineer's explicit "Rework unit X": writes the unit again with claim ID X, even a verified
   * one (the only way a verified unit is ever written again). Refused if the unit holds another ID.
   */
  rework?: string;
  /** Resolve only when the unit has finished (the CLI); the screen follows `stationSlot` events. */
  wait?: boolean;
}

export interface SlotRequest {
  slot: number;
  wait?: boolean;
}

export interface ResumeUnitRequest {
  claimId: string;
  /** Defaults to the slot the journal recorded. */
  slot?: number;
  port?: string;
  wait?: boolean;
}

export interface UnitFileReport {
  path: string;
  sha256: string;
  size: number;
  mode: number;
  /** The text written; null for secret files (mode 0600: keys, provision tokens). */
  content: string | null;
  writtenAt: string;
  verifiedAt: string | null;
}

export interface UnitRunReport {
  claimId: string;
  state: UnitState;
  slot: number | null;
  port: string | null;
  step: StationStep;
  attempts: number;
  retransmissions: number;
  failure: ErrorInfo | null;
  files: UnitFileReport[];
  updatedAt: string;
}

export type ConfigureStationRequest = Partial<StationConfig>;

export interface SlotConsoleReport {
  slot: number;
  /** What the unit printed on its console during the slot's last run (the last 16 KiB). */
  text: string;
}

export interface StationOps {
  getStationState: Op<void, StationStateReport>;
  configureStation: Op<ConfigureStationRequest, StationConfig>;
  startUnit: Op<StartUnitRequest, StationSlotReport>;
  /** Runs the slot's unit again with the same claim ID (after a FAIL). */
  retryUnit: Op<SlotRequest, StationSlotReport>;
  /** Continues an interrupted unit where the journal says it stopped. */
  resumeUnit: Op<ResumeUnitRequest, StationSlotReport>;
  cancelUnit: Op<SlotRequest, StationSlotReport>;
  /** Clears a finished slot's card for the next unit. */
  clearSlot: Op<SlotRequest, StationSlotReport>;
  getUnitRun: Op<{ claimId: string }, UnitRunReport>;
  getSlotConsole: Op<SlotRequest, SlotConsoleReport>;
}

export const stationChannels = {
  getStationState: 'station:get-state',
  configureStation: 'station:configure',
  startUnit: 'station:start-unit',
  retryUnit: 'station:retry-unit',
  resumeUnit: 'station:resume-unit',
  cancelUnit: 'station:cancel-unit',
  clearSlot: 'station:clear-slot',
  getUnitRun: 'station:get-unit-run',
  getSlotConsole: 'station:get-slot-console',
} as const satisfies ChannelMap<StationOps>;
