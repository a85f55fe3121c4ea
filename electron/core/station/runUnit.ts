import type { StationStep, UnitSummary } from '../../shared/contract';
import type { Clock } from '../clock';
import { Failure } from '../failure';
import type { Store } from '../store';
import type {
  DeviceFile,
  DeviceSession,
  OpenDeviceSession,
  TransferOptions,
  TransportSettings,
} from '../transport/types';
import { claimUnit, type AssignNext } from './claim';
import { effectiveSerial, type RunIntent } from './identity';
import { releaseLease, renewLease, type LeaseOptions } from './leases';
import type { Journal } from './journal';
import { sha256 } from './journal';
import { describeFailure } from './messages';
import type { SlotTracker } from './slot';

/**
 * The unit's files. `session` is the open device session when files are about to be written (a
 * unit that makes its own key answers a CSR through it); null when re-rendering to verify.
 */
export type RenderFiles = (
  unit: UnitSummary,
  context: { session: DeviceSession | null },
) => readonly DeviceFile[] | Promise<readonly DeviceFile[]>;
export type AfterVerified = (unit: UnitSummary) => void | Promise<void>;

export interface RunDeps {
  store: Store;
  journal: Journal;
  clock: Clock;
  openSession: OpenDeviceSession;
  assignNext: AssignNext;
  renderFiles: RenderFiles;
  afterVerified: readonly AfterVerified[];
  transportSettings: (orderId: string) => TransportSettings;
  onUnitChanged: (claimId: string) => void;
  /** This station's name (lease rows say who holds a unit). */
  stationName: () => string;
  lease: LeaseOptions;
  /** Serials the order's units report before they are provisioned: they count as none. */
  placeholderSerials: (orderId: string) => readonly string[];
  /** Console text the unit printed while connecting. */
  onConsole: (text: string) => void;
}

export interface RunPlan {
  slot: number;
  port: string;
  orderId: string;
  serial: string | null;
  /** Known when retrying or resuming: the unit keeps this claim ID, no new one is taken. */
  claimId: string | null;
  /** How the run came to this unit: a scan never reworks a verified unit (see identity.ts). */
  intent: RunIntent;
}

export const alreadyProvisioned = (claimId: string) =>
  `Already provisioned as ${claimId}: nothing was written. Unplug it; reprint its label only if it is damaged.`;

const CLOSE_GRACE_MS = 2000;

/** Rejects as soon as the signal aborts, even when the transport does not listen to it. */
function abortable<T>(work: Promise<T>, signal: AbortSignal, slot: number): Promise<T> {
  if (signal.aborted) return Promise.reject(cancelled(slot));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled(slot));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

const cancelled = (slot: number) => new Failure('cancelled', `Slot ${slot} was cancelled.`);

/**
 * One unit through one slot: connect, claim its ID, write, read back, commit, then the after-PASS
 * hooks. Every step is journaled before the next begins; the unit is marked verified only after a
 * read-back that matched. Never throws: the outcome is on the tracker.
 */
export async function runUnit(
  deps: RunDeps,
  plan: RunPlan,
  slot: SlotTracker,
  signal: AbortSignal,
): Promise<void> {
  const at = () => deps.clock.now().toISOString();
  let step: StationStep = 'connect';
  // The unit this run holds: only its failures are journaled on the unit.
  let held: string | null = null;
  let release: (() => void) | null = null;
  // A refusal the claim already logged (conflict): no second event for it.
  let refused = false;
  let session: DeviceSession | null = null;
  const options = (phase: StationStep): TransferOptions => ({
    signal,
    onProgress: (p) => slot.bytes(phase, p.bytesDone, p.bytesTotal, p.stage),
  });
  try {
    slot.enter('connect');
    const settings = deps.transportSettings(plan.orderId);
    session = await abortable(
      deps.openSession({ path: plan.port, settings, signal, onConsole: deps.onConsole }),
      signal,
      plan.slot,
    );
    slot.finishStep('connect');

    step = 'claim';
    slot.enter('claim');
    // Read before write: what the unit already holds decides its identity (identity.ts).
    const heldNow = await abortable(session.readIdentity({ signal }), signal, plan.slot);
    const serial = effectiveSerial(
      plan.serial,
      session.identity.serial,
      deps.placeholderSerials(plan.orderId),
    );
    const claimed = claimUnit(deps.store, deps.assignNext, {
      orderId: plan.orderId,
      intent: plan.intent,
      held: heldNow,
      serial,
      holder: { station: deps.stationName(), slot: plan.slot, port: plan.port },
      lease: deps.lease,
    });
    const decision = claimed.decision;
    if (decision.kind === 'conflict') {
      refused = true;
      slot.set({ identity: 'conflict', serial, heldClaimId: heldNow.claimId });
      throw new Failure('conflict', decision.message, { detail: `reason: ${decision.reason}` });
    }
    if (decision.kind === 'already-provisioned') {
      const done = decision.unit;
      slot.set({
        identity: 'already-provisioned',
        claimId: done.claimId,
        serial: done.serial,
        orderId: done.orderId,
        unitState: done.state,
        heldClaimId: heldNow.claimId,
      });
      slot.finishStep('claim');
      for (const skipped of ['write', 'verify', 'commit', 'after'] as const)
        slot.finishStep(skipped, 'skipped');
      slot.pass(alreadyProvisioned(done.claimId));
      return;
    }
    let unit: UnitSummary = claimed.unit!;
    const claimId = unit.claimId;
    held = claimId;
    // The lease is renewed while the unit is worked and given back when the run ends.
    const renew = setInterval(
      () => {
        if (deps.store.db.open) renewLease(deps.store, claimId, deps.lease);
      },
      Math.max(250, Math.floor(deps.lease.ttlMs / 3)),
    );
    renew.unref();
    release = () => {
      clearInterval(renew);
      if (deps.store.db.open) releaseLease(deps.store, claimId);
    };
    slot.set({
      claimId: unit.claimId,
      serial: unit.serial,
      orderId: unit.orderId,
      unitState: unit.state,
      rework: claimed.rework,
      heldClaimId: heldNow.claimId,
    });
    deps.journal.begin(unit.claimId, { slot: plan.slot, port: plan.port }, 'claim', at());
    deps.onUnitChanged(unit.claimId);
    slot.finishStep('claim');

    let files: readonly DeviceFile[] | null = null;
    if (unit.state === 'written') files = await filesToVerify(deps, unit);
    if (files) {
      // Written before an interruption: verify what is there, never write again.
      slot.finishStep('write', 'skipped');
    } else {
      step = 'write';
      deps.journal.reopen(unit.claimId, at());
      unit = deps.journal.unit(unit.claimId)!;
      const rendered = await deps.renderFiles(unit, { session });
      files = rendered;
      const total = rendered.reduce((n, f) => n + f.content.length, 0);
      slot.enter('write', total);
      const written = await abortable(session.writeFiles(rendered, options('write')), signal, plan.slot);
      deps.journal.written(unit.claimId, rendered, written.retransmissions, at());
      slot.set({
        unitState: 'written',
        retransmissions: slot.report.retransmissions + written.retransmissions,
      });
      deps.onUnitChanged(unit.claimId);
      slot.finishStep('write');
    }

    step = 'verify';
    slot.enter(
      'verify',
      files.reduce((n, f) => n + f.content.length, 0),
    );
    const results = await abortable(session.verifyFiles(files, options('verify')), signal, plan.slot);
    const bad = results.filter((r) => !r.ok);
    if (bad.length > 0 || results.length !== files.length) {
      throw new Failure(
        'verify-mismatch',
        `The read-back of ${bad.map((r) => r.path).join(', ') || 'the files'} did not match.`,
        {
          detail: bad
            .map(
              (r) => `${r.path}: expected ${r.algorithm} ${r.expected}, device has ${r.actual ?? 'no file'}`,
            )
            .join('\n'),
        },
      );
    }
    slot.finishStep('verify');

    step = 'commit';
    slot.enter('commit');
    await abortable(session.commit(options('commit')), signal, plan.slot);
    if (signal.aborted) throw cancelled(plan.slot);
    // The lease goes with the verified mark, in one commit.
    deps.store.transaction(() => {
      deps.journal.verified(unit.claimId, results, at());
      releaseLease(deps.store, unit.claimId);
    });
    slot.set({ unitState: 'verified' });
    deps.onUnitChanged(unit.claimId);
    slot.finishStep('commit');

    step = 'after';
    slot.enter('after');
    const warnings: string[] = [];
    for (const hook of deps.afterVerified) {
      try {
        await hook(deps.journal.unit(unit.claimId)!);
      } catch (error) {
        warnings.push(error instanceof Error ? error.message : String(error));
      }
    }
    slot.set({ warnings });
    slot.finishStep('after', warnings.length ? 'failed' : 'done');
    slot.pass();
  } catch (error) {
    const { failure, nextAction } = describeFailure(
      plan.slot,
      step,
      signal.aborted ? cancelled(plan.slot) : error,
    );
    if (!deps.store.db.open) {
      // The station is shutting down: the journal keeps the unit where it stopped, to be resumed.
    } else if (held) {
      const failedId = held;
      deps.store.transaction(() => {
        deps.journal.failed(failedId, step, failure, at());
        releaseLease(deps.store, failedId);
      });
      deps.onUnitChanged(held);
      slot.set({ unitState: deps.journal.unit(held)!.state });
    } else if (!refused) {
      const refusal = failure.code === 'busy' || failure.code === 'conflict' || failure.code === 'validation';
      deps.store.events.append({
        kind: refusal ? 'station.refused' : 'station.unit-failed',
        claimId: plan.claimId,
        orderId: plan.orderId,
        data: {
          slot: plan.slot,
          port: plan.port,
          step,
          code: failure.code,
          message: failure.message,
          detail: failure.detail ?? null,
        },
      });
    }
    slot.fail(failure, nextAction);
  } finally {
    release?.();
    if (session) {
      const closing = session.close().catch(() => undefined);
      await Promise.race([closing, new Promise((r) => setTimeout(r, CLOSE_GRACE_MS).unref())]);
    }
  }
}

/**
 * What to verify for a unit found written after an interruption: the recorded files. A secret
 * file's content is not kept, so it is rendered again and used only if it hashes to what was
 * recorded; otherwise null (the unit is written again, with the same claim ID).
 */
async function filesToVerify(deps: RunDeps, unit: UnitSummary): Promise<DeviceFile[] | null> {
  const recorded = deps.journal.files(unit.claimId);
  if (recorded.length === 0) return null;
  let rendered: readonly DeviceFile[] | null = null;
  const out: DeviceFile[] = [];
  for (const f of recorded) {
    if (f.content) {
      out.push({ path: f.path, content: f.content, mode: f.mode });
      continue;
    }
    rendered ??= await deps.renderFiles(unit, { session: null });
    const again = rendered.find((r) => r.path === f.path && sha256(r.content) === f.sha256);
    if (!again) {
      deps.store.events.append({
        kind: 'unit.rewrite-needed',
        claimId: unit.claimId,
        orderId: unit.orderId,
        data: { path: f.path, reason: 'secret file not kept and not reproducible' },
      });
      return null;
    }
    out.push(again);
  }
  return out;
}
