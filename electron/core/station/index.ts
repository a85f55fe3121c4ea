import type {
  ConfigureStationRequest,
  ResumeUnitRequest,
  StartUnitRequest,
  StationConfig,
  StationSlotReport,
  StationStateReport,
  UnitRunReport,
} from '../../shared/contract';
import type { Clock } from '../clock';
import type { EventBus } from '../eventBus';
import { Failure } from '../failure';
import type { Store } from '../store';
import type { OpenDeviceSession, TransportSettings } from '../transport/types';
import { normalizeClaimIdInput } from '../store/units';
import { createJournal } from './journal';
import type { AssignNext } from './claim';
import { runUnit, type AfterVerified, type RenderFiles, type RunPlan } from './runUnit';
import { createSlotTracker, type SlotTracker } from './slot';

export interface StationDeps {
  store: Store;
  bus: EventBus;
  clock: Clock;
  /** The real serial transports (wired by the lead); without one, starting a unit says so. */
  openSession?: OpenDeviceSession;
  /** device.json5 and the other files of the order's profile; without one, starting a unit says so. */
  renderFiles?: RenderFiles;
  /** After a PASS: label print, cloud outbox. A failure there is a warning, the unit stays verified. */
  afterVerified?: readonly AfterVerified[];
  transportSettings?: (orderId: string) => TransportSettings;
  /** New claim IDs come from the work order (orders.assignNextReserved). */
  assignNext: AssignNext;
  /** The order the station is locked to is the orders module's setting: one source of truth. */
  activeOrder: { get(): string | null; set(orderId: string | null): void };
}

export interface Station {
  state(): StationStateReport;
  configure(patch: ConfigureStationRequest): StationConfig;
  start(req: StartUnitRequest): Promise<StationSlotReport>;
  retry(slot: number, wait?: boolean): Promise<StationSlotReport>;
  resume(req: ResumeUnitRequest): Promise<StationSlotReport>;
  cancel(slot: number): StationSlotReport;
  clear(slot: number): StationSlotReport;
  unitRun(claimId: string): UnitRunReport;
  /** The unit's console output during the slot's last run. */
  console(slot: number): string;
  /** Resolves when the slot's current run has ended. */
  wait(slot: number): Promise<StationSlotReport>;
  /** Cancels every running slot and waits for them. */
  close(): Promise<void>;
}

const CONFIG_KEY = 'station.run';
const CONSOLE_KEEP = 16 * 1024;
const DEFAULT_CONFIG: StationConfig = { activeOrderId: null, slotCount: 4, ports: {} };

export const defaultTransportSettings: TransportSettings = {
  kind: 'framed',
  baudRate: 115200,
  deviceDir: '/opt/ioto/state',
  timeoutMs: 5000,
};

export function createStation(deps: StationDeps): Station {
  const journal = createJournal(deps.store);
  const now = () => deps.clock.now().toISOString();
  const trackers = new Map<number, SlotTracker>();
  const running = new Map<number, { controller: AbortController; done: Promise<void> }>();
  /** Claim ID -> the slot working on it: one unit is never in two slots at once. */
  const inFlight = new Map<string, number>();
  const consoles = new Map<number, string>();

  const config = (): StationConfig => ({
    ...DEFAULT_CONFIG,
    ...deps.store.settings.get(CONFIG_KEY, DEFAULT_CONFIG),
    activeOrderId: deps.activeOrder.get(),
  });

  function tracker(slot: number): SlotTracker {
    let t = trackers.get(slot);
    if (!t) {
      t = createSlotTracker(slot, now, (report) => deps.bus.emit('stationSlot', report));
      t.set({ port: config().ports[String(slot)] ?? null });
      trackers.set(slot, t);
    }
    return t;
  }

  function launch(plan: RunPlan, wait: boolean | undefined): Promise<StationSlotReport> {
    const { openSession, renderFiles } = deps;
    if (!openSession)
      throw new Failure(
        'unavailable',
        'No device transport is configured on this station, so no unit can be written yet. Call the engineer.',
      );
    if (!renderFiles)
      throw new Failure(
        'unavailable',
        "No factory profile is set up to render the unit's files, so no unit can be written yet. Call the engineer.",
      );
    if (running.has(plan.slot))
      throw new Failure(
        'busy',
        `Slot ${plan.slot} is still working on ${tracker(plan.slot).report.claimId ?? 'a unit'}: wait for it or press Cancel.`,
      );
    const t = tracker(plan.slot);
    t.reset({
      status: 'running',
      port: plan.port,
      orderId: plan.orderId,
      serial: plan.serial,
      claimId: plan.claimId,
      nextAction: 'Leave the unit in the slot until PASS or FAIL.',
      startedAt: now(),
    });
    consoles.set(plan.slot, '');
    const controller = new AbortController();
    const ticker = setInterval(() => t.emit(true), 500);
    ticker.unref();
    const done = runUnit(
      {
        store: deps.store,
        journal,
        clock: deps.clock,
        openSession,
        assignNext: deps.assignNext,
        renderFiles,
        afterVerified: deps.afterVerified ?? [],
        transportSettings: deps.transportSettings ?? (() => defaultTransportSettings),
        onUnitChanged: (claimId) => deps.bus.emit('unitsChanged', { claimIds: [claimId] }),
        onConsole(text) {
          consoles.set(plan.slot, ((consoles.get(plan.slot) ?? '') + text).slice(-CONSOLE_KEEP));
        },
        hold(claimId) {
          const other = inFlight.get(claimId);
          if (other !== undefined)
            throw new Failure('busy', `Unit ${claimId} is already being worked on in slot ${other}.`);
          inFlight.set(claimId, plan.slot);
          return () => inFlight.delete(claimId);
        },
      },
      plan,
      t,
      controller.signal,
    )
      .catch((error: unknown) => console.error(`[lineside] slot ${plan.slot} run failed:`, error))
      .finally(() => {
        clearInterval(ticker);
        running.delete(plan.slot);
      });
    running.set(plan.slot, { controller, done });
    if (wait) return done.then(() => t.snapshot());
    return Promise.resolve(t.snapshot());
  }

  function portFor(slot: number, given: string | undefined): string {
    const port = given ?? config().ports[String(slot)];
    if (!port)
      throw new Failure(
        'validation',
        `Slot ${slot} has no port: bind it to a port in the station setup, or give one.`,
        {
          field: 'port',
        },
      );
    return port;
  }

  /** A scanned claim ID (typed from a FAIL card) of the order's failed or interrupted unit. */
  function reworkByClaimId(text: string, orderId: string) {
    if (deps.store.db.prepare('SELECT 1 FROM units WHERE serial = ?').get(text)) return null;
    const unit = journal.unit(normalizeClaimIdInput(text));
    if (!unit || unit.orderId !== orderId) return null;
    return ['failed', 'assigned', 'written'].includes(unit.state) ? unit : null;
  }

  function checkSlot(slot: number) {
    const { slotCount } = config();
    if (slot > slotCount)
      throw new Failure(
        'validation',
        `This station has ${slotCount} slot${slotCount === 1 ? '' : 's'}; there is no slot ${slot}.`,
        {
          field: 'slot',
        },
      );
  }

  return {
    state() {
      const cfg = config();
      const slots = Array.from({ length: cfg.slotCount }, (_, i) => tracker(i + 1).snapshot());
      const busy = new Set(slots.filter((s) => s.status === 'running').map((s) => s.claimId));
      const onCards = new Set(slots.map((s) => s.claimId));
      return {
        config: cfg,
        deviceTransport: deps.openSession !== undefined,
        slots,
        interrupted: journal.interrupted().filter((u) => !busy.has(u.claimId)),
        failed: cfg.activeOrderId
          ? journal
              .failedUnits(cfg.activeOrderId, 20 + slots.length)
              .filter((u) => !onCards.has(u.claimId))
              .slice(0, 20)
          : [],
        order: cfg.activeOrderId
          ? { orderId: cfg.activeOrderId, ...journal.orderCounts(cfg.activeOrderId) }
          : null,
      };
    },
    configure(patch) {
      const next: StationConfig = {
        ...config(),
        ...patch,
        ports: { ...config().ports, ...(patch.ports ?? {}) },
      };
      deps.store.transaction(() => {
        if (patch.activeOrderId !== undefined && patch.activeOrderId !== deps.activeOrder.get())
          deps.activeOrder.set(patch.activeOrderId);
        deps.store.settings.set(CONFIG_KEY, { slotCount: next.slotCount, ports: next.ports });
        deps.store.events.append({
          kind: 'station.configured',
          orderId: next.activeOrderId,
          data: { ...patch },
        });
      });
      for (const [slot, t] of trackers)
        if (!running.has(slot)) t.set({ port: next.ports[String(slot)] ?? null });
      return next;
    },
    async start(req) {
      checkSlot(req.slot);
      const port = portFor(req.slot, req.port);
      const byClaimId = req.serial ? reworkByClaimId(req.serial, req.orderId) : null;
      if (byClaimId)
        return launch(
          {
            slot: req.slot,
            port,
            orderId: req.orderId,
            serial: byClaimId.serial,
            claimId: byClaimId.claimId,
          },
          req.wait,
        );
      return launch(
        { slot: req.slot, port, orderId: req.orderId, serial: req.serial ?? null, claimId: null },
        req.wait,
      );
    },
    async retry(slot, wait) {
      checkSlot(slot);
      const last = tracker(slot).report;
      if (last.status === 'idle' || !last.orderId)
        throw new Failure('not-found', `Slot ${slot} has no unit to retry: scan the unit to start it.`);
      return launch(
        {
          slot,
          port: portFor(slot, last.port ?? undefined),
          orderId: last.orderId,
          serial: last.serial,
          claimId: last.claimId,
        },
        wait,
      );
    },
    async resume(req) {
      const unit = journal.unit(req.claimId.toUpperCase());
      if (!unit)
        throw new Failure('not-found', `No unit with claim ID ${req.claimId} on this station.`, {
          field: 'claimId',
        });
      if (!unit.orderId) throw new Failure('conflict', `Unit ${unit.claimId} belongs to no work order.`);
      if (unit.state === 'reserved' || unit.state === 'voided')
        throw new Failure('conflict', `Unit ${unit.claimId} is ${unit.state}: there is nothing to resume.`);
      const run = journal.run(unit.claimId);
      const slot = req.slot ?? run?.slot ?? 1;
      checkSlot(slot);
      const port = portFor(slot, req.port ?? (req.slot === undefined ? (run?.port ?? undefined) : undefined));
      return launch(
        { slot, port, orderId: unit.orderId, serial: unit.serial, claimId: unit.claimId },
        req.wait,
      );
    },
    cancel(slot) {
      checkSlot(slot);
      running.get(slot)?.controller.abort();
      return tracker(slot).snapshot();
    },
    clear(slot) {
      checkSlot(slot);
      if (running.has(slot))
        throw new Failure('busy', `Slot ${slot} is still working: wait for it or press Cancel.`);
      const t = tracker(slot);
      t.reset({ port: config().ports[String(slot)] ?? null });
      t.emit(true);
      return t.snapshot();
    },
    unitRun(claimId) {
      const run = journal.run(claimId.toUpperCase());
      if (!run)
        throw new Failure('not-found', `Unit ${claimId} has not been through a station slot yet.`, {
          field: 'claimId',
        });
      return run;
    },
    console(slot) {
      checkSlot(slot);
      return consoles.get(slot) ?? '';
    },
    async wait(slot) {
      await running.get(slot)?.done;
      return tracker(slot).snapshot();
    },
    async close() {
      const all = [...running.values()];
      for (const r of all) r.controller.abort();
      await Promise.all(all.map((r) => r.done));
    },
  };
}

export type { AfterVerified, RenderFiles } from './runUnit';
export { claimUnit } from './claim';
