import {
  stationSteps,
  type ErrorInfo,
  type StationSlotReport,
  type StageName,
  type StationStep,
  type StepReport,
} from '../../shared/contract';

const PROGRESS_INTERVAL_MS = 100;

export const NEXT_IDLE = 'Insert a unit and scan its serial number.';
export const NEXT_PASS = 'Unplug and insert the next unit.';

/** One slot's card: the live report, with bytes/time per step, emitted throttled while bytes move. */
export interface SlotTracker {
  readonly report: StationSlotReport;
  reset(fields: Partial<StationSlotReport>): void;
  set(fields: Partial<StationSlotReport>): void;
  enter(step: StationStep, bytesTotal?: number): void;
  bytes(step: StationStep, done: number, total: number, stage?: StageName): void;
  finishStep(step: StationStep, status?: 'done' | 'skipped' | 'failed'): void;
  pass(nextAction?: string): void;
  fail(failure: ErrorInfo, nextAction: string): void;
  /** Emits now (step changes) or at most every 100 ms (byte progress). */
  emit(force?: boolean): void;
  snapshot(): StationSlotReport;
}

function freshSteps(): StepReport[] {
  return stationSteps.map((step) => ({ step, status: 'pending', bytesDone: 0, bytesTotal: 0, ms: 0 }));
}

/** A slot with no unit in it (what a new or cleared card shows). */
function idle(): Omit<StationSlotReport, 'slot' | 'port' | 'portState'> {
  return {
    status: 'idle',
    claimId: null,
    serial: null,
    orderId: null,
    unitState: null,
    rework: false,
    identity: null,
    heldClaimId: null,
    steps: freshSteps(),
    failure: null,
    nextAction: NEXT_IDLE,
    retransmissions: 0,
    warnings: [],
    startedAt: null,
    finishedAt: null,
  };
}

export function createSlotTracker(
  slot: number,
  now: () => string,
  onChange: (report: StationSlotReport) => void,
): SlotTracker {
  const report: StationSlotReport = { slot, port: null, portState: 'unbound', ...idle() };
  const started = new Map<StationStep, number>();
  let lastEmit = 0;

  const find = (step: StationStep) => report.steps.find((s) => s.step === step)!;
  function tick() {
    const t = performance.now();
    for (const s of report.steps) {
      const begun = started.get(s.step);
      if (s.status === 'running' && begun !== undefined) s.ms = Math.round(t - begun);
    }
  }
  function snapshot(): StationSlotReport {
    tick();
    return structuredClone(report);
  }
  const tracker: SlotTracker = {
    report,
    reset(fields) {
      started.clear();
      Object.assign(report, { ...idle(), ...fields });
    },
    set(fields) {
      Object.assign(report, fields);
    },
    enter(step, bytesTotal = 0) {
      started.set(step, performance.now());
      Object.assign(find(step), { status: 'running', bytesDone: 0, bytesTotal, ms: 0 });
      tracker.emit(true);
    },
    bytes(step, done, total, stage) {
      const s = find(step);
      Object.assign(s, { bytesDone: done, bytesTotal: total });
      let begun = false;
      if (stage) {
        s.stages ??= [];
        let st = s.stages.find((x) => x.stage === stage);
        if (!st) {
          for (const earlier of s.stages) earlier.done = true;
          st = { stage, bytesDone: 0, bytesTotal: 0, done: false };
          s.stages.push(st);
          begun = true;
        }
        Object.assign(st, { bytesDone: done, bytesTotal: total });
      }
      // A phase that begins is shown at once, so the card never skips one.
      tracker.emit(begun);
    },
    finishStep(step, status = 'done') {
      tick();
      const s = find(step);
      s.status = status;
      if (status === 'done') {
        s.bytesDone = s.bytesTotal;
        for (const st of s.stages ?? []) Object.assign(st, { done: true, bytesDone: st.bytesTotal });
      }
      tracker.emit(true);
    },
    pass(nextAction = NEXT_PASS) {
      Object.assign(report, { status: 'pass', nextAction, finishedAt: now() });
      tracker.emit(true);
    },
    fail(failure, nextAction) {
      tick();
      for (const s of report.steps) if (s.status === 'running') s.status = 'failed';
      Object.assign(report, { status: 'fail', failure, nextAction, finishedAt: now() });
      tracker.emit(true);
    },
    emit(force = false) {
      const t = performance.now();
      if (!force && t - lastEmit < PROGRESS_INTERVAL_MS) return;
      lastEmit = t;
      onChange(snapshot());
    },
    snapshot,
  };
  return tracker;
}
