import type { ErrorInfo } from '../errors';
import * as z from 'zod';
import { claimIdArg, CONTROL_CHARS, noArgs, SERIAL_MAX } from './fields';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';
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

const slot = lazySchema(() =>
  z.number().int().min(1, 'slots are numbered from 1').max(8, 'a fixture has at most 8 slots'),
);
const port = lazySchema(() => z.string().trim().min(1, 'enter a port path').max(300));
const orderId = lazySchema(() => z.string().trim().min(1, 'enter a work order').max(80));
const serial = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1, 'scan a serial number')
    .max(SERIAL_MAX, `a serial number has at most ${SERIAL_MAX} characters`)
    .refine(
      (s) => !CONTROL_CHARS.test(s),
      'a serial number may not contain control characters (CR, LF, tab)',
    ),
);

export const startUnitRequest = lazySchema(() =>
  z
    .object({
      /** Omitted: the station picks the first free slot (idle, port present), or says which to unplug. */
      slot: slot.optional(),
      orderId,
      /**
       * A scanned serial number: when a unit already has it, that unit is reworked with its claim ID.
       * A claim ID of the order's failed or interrupted unit is accepted too (rework by claim ID).
       */
      serial: serial.optional(),
      /** Port path; defaults to the slot's configured port. */
      port: port.optional(),
      /**
       * An engineer's explicit "Rework unit X": writes the unit again with claim ID X, even a verified
       * one (the only way a verified unit is ever written again). Refused if the unit holds another ID.
       */
      rework: claimIdArg.optional(),
      /** Resolve only when the unit has finished (the CLI); the screen follows `stationSlot` events. */
      wait: z.boolean().optional(),
    })
    .strict(),
);
export type StartUnitRequest = z.output<typeof startUnitRequest>;

export const slotRequest = lazySchema(() => z.object({ slot, wait: z.boolean().optional() }).strict());
export type SlotRequest = z.output<typeof slotRequest>;

export const resumeUnitRequest = lazySchema(() =>
  z
    .object({
      claimId: claimIdArg,
      /** Defaults to the slot the journal recorded. */
      slot: slot.optional(),
      port: port.optional(),
      wait: z.boolean().optional(),
    })
    .strict(),
);
export type ResumeUnitRequest = z.output<typeof resumeUnitRequest>;

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

export const configureStationRequest = lazySchema(
  () =>
    z
      .object({
        activeOrderId: orderId.nullable().optional(),
        slotCount: z.number().int().min(1).max(8).optional(),
        ports: z.record(z.string().regex(/^[1-8]$/, 'slot numbers are 1 to 8'), port).optional(),
      })
      .strict() satisfies z.ZodType<Partial<StationConfig>, unknown>,
);
export type ConfigureStationRequest = z.output<typeof configureStationRequest>;

export interface SlotConsoleReport {
  slot: number;
  /** What the unit printed on its console during the slot's last run (the last 16 KiB). */
  text: string;
}

export const stationOperations = {
  getStationState: op('station:get-state', noArgs).returns<StationStateReport>(),
  configureStation: op('station:configure', configureStationRequest).returns<StationConfig>(),
  startUnit: op('station:start-unit', startUnitRequest).returns<StationSlotReport>(),
  /** Runs the slot's unit again with the same claim ID (after a FAIL). */
  retryUnit: op('station:retry-unit', slotRequest).returns<StationSlotReport>(),
  /** Continues an interrupted unit where the journal says it stopped. */
  resumeUnit: op('station:resume-unit', resumeUnitRequest).returns<StationSlotReport>(),
  cancelUnit: op('station:cancel-unit', slotRequest).returns<StationSlotReport>(),
  /** Clears a finished slot's card for the next unit. */
  clearSlot: op('station:clear-slot', slotRequest).returns<StationSlotReport>(),
  getUnitRun: op(
    'station:get-unit-run',
    lazySchema(() => z.object({ claimId: claimIdArg }).strict()),
  ).returns<UnitRunReport>(),
  getSlotConsole: op('station:get-slot-console', slotRequest).returns<SlotConsoleReport>(),
};

export type StationOps = OpsOf<typeof stationOperations>;
export const stationChannels = channelsOf(stationOperations);
export const stationSchemas = schemasOf(stationOperations);
