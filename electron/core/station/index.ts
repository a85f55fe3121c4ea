import fs from 'node:fs';
import type {
  ConfigureStationRequest,
  SerialPortReport,
  SerialSpec,
  StationSlotReport as SlotReport_,
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
import type { TextSealer } from '../secrets/sealedText';
import type { Store } from '../store';
import type { OpenDeviceSession, TransportSettings } from '../transport/types';
import { defaultTransportSettings } from '../transport/settings';
import { normalizeClaimIdInput } from '../store/units';
import { createJournal } from './journal';
import type { AssignNext } from './claim';
import { runUnit, type AfterVerified, type RenderFiles, type RunPlan } from './runUnit';
import { NEXT_IDLE, createSlotTracker, type SlotTracker } from './slot';
import { DEFAULT_LEASE_MS, listLeases, type LeaseOptions } from './leases';
import type { RunIntent } from './identity';
import { resolveSlots } from '../serial/slots';
import { bindSlotPaths, readSlotBindings } from '../serial/slotSettings';
import { describeSerials, serialInSpec, serialProblem } from '../orders/serials';

export interface StationDeps {
  store: Store;
  bus: EventBus;
  clock: Clock;
  /** The serial transports (core/transport, passed in by services.ts); without one, starting a unit says so. */
  openSession?: OpenDeviceSession;
  /** device.json5 and the other files of the order's profile; without one, starting a unit says so. */
  renderFiles?: RenderFiles;
  /** After a PASS: label print, cloud outbox. A failure there is a warning, the unit stays verified. */
  afterVerified?: readonly AfterVerified[];
  transportSettings?: (orderId: string) => TransportSettings;
  /** New claim IDs come from the work order (orders.assignNextReserved). */
  assignNext: AssignNext;
  /** Keeps product tokens out of the journal's stored file contents. */
  sealer: TextSealer;
  /** The order the station is locked to is the orders module's setting: one source of truth. */
  activeOrder: { get(): string | null; set(orderId: string | null): void };
  /** This station's name, for lease rows (events are stamped by the event log). */
  stationName?: () => string;
  /** The order's serials and size, to refuse a scan that can never be one of them. */
  orderSerials?: (orderId: string) => { spec: SerialSpec | null; quantity: number } | null;
  /** Serials the order's units report before provisioning (the profile's placeholderSerials). */
  placeholderSerials?: (orderId: string) => readonly string[];
  /** The OS's serial ports, to resolve slots bound by USB location or filter. */
  listPorts?: () => Promise<SerialPortReport[]>;
  /** Whether a port path is there now (default: it exists on disk). */
  portPresent?: (path: string) => boolean;
  /** How often to look for a finished unit's port disappearing (unplug); 0 = never. */
  pollMs?: number;
  /** Lease length; a setting `station.leaseMs` overrides it (default 30 s). */
  leaseMs?: number;
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
  /** Looks at the ports again (slots bound by USB location) and frees slots whose unit left. */
  refresh(): Promise<void>;
  /** Cancels every running slot and waits for them. */
  close(): Promise<void>;
}

const CONFIG_KEY = 'station.run';
const CONSOLE_KEEP = 16 * 1024;
const DEFAULT_SLOTS = 4;
const LEASE_KEY = 'station.leaseMs';
const ASIDE = 'Set this unit aside and call the engineer.';

interface StoredConfig {
  slotCount?: number;
  /** Before one slot model: ports kept here; moved into serial.slots on start. */
  ports?: Record<string, string>;
}

interface PortInfo {
  port: string | null;
  portState: SlotReport_['portState'];
  portProblem: string | null;
}

export function createStation(deps: StationDeps): Station {
  const journal = createJournal(deps.store, deps.sealer);
  const now = () => deps.clock.now().toISOString();
  const trackers = new Map<number, SlotTracker>();
  const running = new Map<number, { controller: AbortController; done: Promise<void> }>();
  const consoles = new Map<number, string>();
  const present = deps.portPresent ?? ((path: string) => fs.existsSync(path));
  let osPorts: SerialPortReport[] = [];

  // One slot model: ports once kept with the station's config become fixture slot bindings.
  const stored0 = deps.store.settings.get<StoredConfig>(CONFIG_KEY, {});
  if (stored0.ports && Object.keys(stored0.ports).length > 0) {
    const { ports, ...rest } = stored0;
    deps.store.transaction(() => {
      bindSlotPaths(deps.store, ports);
      deps.store.settings.set(CONFIG_KEY, rest);
    });
  }

  function slotCount(): number {
    const stored = deps.store.settings.get<StoredConfig>(CONFIG_KEY, {}).slotCount;
    const bound = Math.max(0, ...readSlotBindings(deps.store).map((b) => b.slot));
    return stored !== undefined ? Math.max(stored, bound) : bound || DEFAULT_SLOTS;
  }

  function portInfos(): Map<number, PortInfo> {
    const out = new Map<number, PortInfo>();
    for (const r of resolveSlots(readSlotBindings(deps.store), osPorts)) {
      const n = r.binding.slot;
      if (r.path === null) out.set(n, { port: null, portState: 'missing', portProblem: r.problem });
      else if (!present(r.path))
        out.set(n, {
          port: r.path,
          portState: 'missing',
          portProblem: `Slot ${n}: nothing is at ${r.path}. Check the fixture's USB cable.`,
        });
      else out.set(n, { port: r.path, portState: 'ok', portProblem: null });
    }
    return out;
  }

  function portInfo(slot: number, infos = portInfos()): PortInfo {
    return (
      infos.get(slot) ?? {
        port: null,
        portState: 'unbound',
        portProblem: `Slot ${slot} has no port bound: bind it in Settings → Fixture slots.`,
      }
    );
  }

  const config = (infos = portInfos()): StationConfig => ({
    activeOrderId: deps.activeOrder.get(),
    slotCount: slotCount(),
    ports: Object.fromEntries(
      [...infos].filter(([, i]) => i.port !== null).map(([n, i]) => [String(n), i.port!]),
    ),
  });

  const leaseOptions = (): LeaseOptions => ({
    ttlMs: deps.store.settings.get<number>(LEASE_KEY, deps.leaseMs ?? DEFAULT_LEASE_MS),
  });

  /** An idle card says what it needs before it can take a unit. */
  function idleAction(info: PortInfo): string {
    if (info.portState !== 'ok') return info.portProblem!;
    if (!deps.activeOrder.get()) return 'No work order is set: the engineer sets one before the shift.';
    return NEXT_IDLE;
  }

  function applyPort(t: SlotTracker, info: PortInfo) {
    const idle = t.report.status === 'idle';
    t.set({
      ...(idle || t.report.port === null ? { port: info.port } : {}),
      portState: info.portState,
      portProblem: info.portProblem,
      ...(idle ? { nextAction: idleAction(info) } : {}),
    });
  }

  function tracker(slot: number, infos?: Map<number, PortInfo>): SlotTracker {
    let t = trackers.get(slot);
    if (!t) {
      t = createSlotTracker(slot, now, (report) => deps.bus.emit('stationSlot', report));
      trackers.set(slot, t);
    }
    if (!running.has(slot)) applyPort(t, portInfo(slot, infos));
    return t;
  }

  function refuse(slot: number | null, failure: Failure, data: Record<string, unknown> = {}): never {
    deps.store.events.append({
      kind: 'station.refused',
      orderId: (data.orderId as string | undefined) ?? deps.activeOrder.get(),
      data: { slot, code: failure.code, message: failure.message, ...data },
    });
    throw failure;
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
      refuse(
        plan.slot,
        new Failure(
          'busy',
          `Slot ${plan.slot} is still working on ${tracker(plan.slot).report.claimId ?? 'a unit'}: wait for it or press Cancel.`,
        ),
      );
    const t = tracker(plan.slot);
    t.reset({
      status: 'running',
      port: plan.port,
      portState: t.report.portState,
      portProblem: t.report.portProblem ?? null,
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
        transportSettings: deps.transportSettings ?? (() => defaultTransportSettings()),
        onUnitChanged: (claimId) => deps.bus.emit('unitsChanged', { claimIds: [claimId] }),
        onConsole(text) {
          consoles.set(plan.slot, ((consoles.get(plan.slot) ?? '') + text).slice(-CONSOLE_KEEP));
        },
        stationName: deps.stationName ?? (() => 'station'),
        lease: leaseOptions(),
        placeholderSerials: deps.placeholderSerials ?? (() => []),
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
    const port = given ?? portInfo(slot).port;
    if (!port)
      refuse(
        slot,
        new Failure('validation', `${portInfo(slot).portProblem ?? `Slot ${slot} has no port.`}`, {
          field: 'port',
        }),
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
    const count = slotCount();
    if (slot > count)
      throw new Failure(
        'validation',
        `This station has ${count} slot${count === 1 ? '' : 's'}; there is no slot ${slot}.`,
        {
          field: 'slot',
        },
      );
  }

  /**
   * The slot a scan goes to: the first idle slot whose port is there. When none is free, says
   * which slot to unplug (the longest-finished PASS), or why no slot can take a unit.
   */
  function freeSlot(): number {
    const infos = portInfos();
    const cards = Array.from({ length: slotCount() }, (_, i) => tracker(i + 1, infos).report);
    const free = cards.find((c) => c.status === 'idle' && c.portState === 'ok' && !running.has(c.slot));
    if (free) return free.slot;
    const passed = cards
      .filter((c) => c.status === 'pass')
      .sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''));
    const failed = cards.filter((c) => c.status === 'fail');
    const message = passed[0]
      ? `Every slot has a unit: unplug slot ${passed[0].slot} (it passed) and scan again.`
      : failed[0]
        ? `Every slot has a unit: slot ${failed[0].slot} failed — press Retry or take it out and press Clear.`
        : cards.some((c) => c.portState === 'ok')
          ? 'Every slot is working: wait for a PASS or FAIL, then scan again.'
          : (cards.find((c) => c.portState === 'missing')?.portProblem ??
            'No slot has a port: bind the fixture slots in Settings → Fixture slots.');
    return refuse(null, new Failure('busy', message, { field: 'slot' }));
  }

  function checkSerial(slot: number, orderId: string, serial: string) {
    const problem = serialProblem(serial);
    if (problem) refuse(slot, new Failure('validation', problem, { field: 'serial' }), { orderId, serial });
    const order = deps.orderSerials?.(orderId);
    if (order?.spec && !serialInSpec(order.spec, serial))
      refuse(
        slot,
        new Failure(
          'validation',
          `Serial ${serial} is not one of work order ${orderId}'s serials (${describeSerials(order.spec, order.quantity)}): scan the unit's label serial.`,
          { field: 'serial' },
        ),
        { orderId, serial },
      );
  }

  /** Frees slots whose finished unit left: its port is gone (unplugged). */
  function noticeUnplugged(infos: Map<number, PortInfo>) {
    for (const [slot, t] of trackers) {
      if (running.has(slot) || t.report.status === 'idle') continue;
      const info = portInfo(slot, infos);
      const port = t.report.port;
      const stillThere = port !== null && present(port) && (info.port === null || info.port === port);
      if (stillThere) continue;
      deps.store.events.append({
        kind: 'station.unit-left',
        claimId: t.report.claimId,
        orderId: t.report.orderId,
        data: { slot, port: t.report.port, status: t.report.status },
      });
      t.reset({});
      applyPort(t, info);
      t.emit(true);
    }
  }

  async function refresh() {
    if (deps.listPorts) {
      try {
        osPorts = await deps.listPorts();
      } catch {
        // A failing OS listing leaves the last one; typed paths still resolve.
      }
    }
    if (deps.store.db.open) noticeUnplugged(portInfos());
  }

  const poll =
    (deps.pollMs ?? 0) > 0
      ? setInterval(() => {
          void refresh();
        }, deps.pollMs)
      : null;
  poll?.unref();

  function startPlan(
    slot: number,
    req: StartUnitRequest,
    serial: string | null,
    claimId: string | null,
    intent: RunIntent,
  ): Promise<StationSlotReport> {
    return launch(
      { slot, port: portFor(slot, req.port), orderId: req.orderId, serial, claimId, intent },
      req.wait,
    );
  }

  return {
    state() {
      const infos = portInfos();
      const cfg = config(infos);
      const slots = Array.from({ length: cfg.slotCount }, (_, i) => tracker(i + 1, infos).snapshot());
      const busy = new Set(slots.filter((s) => s.status === 'running').map((s) => s.claimId));
      const onCards = new Set(slots.map((s) => s.claimId));
      return {
        config: cfg,
        leases: listLeases(deps.store, leaseOptions()),
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
      deps.store.transaction(() => {
        if (patch.activeOrderId !== undefined && patch.activeOrderId !== deps.activeOrder.get())
          deps.activeOrder.set(patch.activeOrderId);
        const stored = deps.store.settings.get<StoredConfig>(CONFIG_KEY, {});
        deps.store.settings.set(CONFIG_KEY, {
          ...(patch.slotCount !== undefined
            ? { slotCount: patch.slotCount }
            : stored.slotCount !== undefined
              ? { slotCount: stored.slotCount }
              : {}),
        });
        if (patch.ports) bindSlotPaths(deps.store, patch.ports);
        deps.store.events.append({
          kind: 'station.configured',
          orderId: deps.activeOrder.get(),
          data: { ...patch },
        });
      });
      const infos = portInfos();
      for (const [slot, t] of trackers) if (!running.has(slot)) applyPort(t, portInfo(slot, infos));
      return config(infos);
    },
    async start(req) {
      const slot = req.slot ?? freeSlot();
      checkSlot(slot);
      if (req.rework) {
        const claimId = normalizeClaimIdInput(req.rework);
        const unit = journal.unit(claimId);
        return startPlan(slot, req, unit?.serial ?? null, claimId, { kind: 'rework', claimId });
      }
      const byClaimId = req.serial ? reworkByClaimId(req.serial, req.orderId) : null;
      if (byClaimId)
        return startPlan(slot, req, byClaimId.serial, byClaimId.claimId, {
          kind: 'continue',
          claimId: byClaimId.claimId,
        });
      if (req.serial) checkSerial(slot, req.orderId, req.serial);
      return startPlan(slot, req, req.serial ?? null, null, { kind: 'scan' });
    },
    async retry(slot, wait) {
      checkSlot(slot);
      const last = tracker(slot).report;
      if (last.status === 'idle' || !last.orderId)
        throw new Failure('not-found', `Slot ${slot} has no unit to retry: scan the unit to start it.`);
      if (last.identity === 'conflict')
        refuse(slot, new Failure('conflict', `Slot ${slot}: this unit is stopped. ${ASIDE}`));
      if (last.status === 'pass')
        refuse(
          slot,
          new Failure('conflict', `Slot ${slot} passed: unplug the unit and insert the next one.`),
        );
      return launch(
        {
          slot,
          port: portFor(slot, last.port ?? undefined),
          orderId: last.orderId,
          serial: last.serial,
          claimId: last.claimId,
          intent: last.claimId ? { kind: 'continue', claimId: last.claimId } : { kind: 'scan' },
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
        {
          slot,
          port,
          orderId: unit.orderId,
          serial: unit.serial,
          claimId: unit.claimId,
          intent: { kind: 'continue', claimId: unit.claimId },
        },
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
      if (t.report.status !== 'idle')
        deps.store.events.append({
          kind: 'station.slot-cleared',
          claimId: t.report.claimId,
          orderId: t.report.orderId,
          data: { slot, status: t.report.status, identity: t.report.identity },
        });
      t.reset({});
      applyPort(t, portInfo(slot));
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
    refresh,
    async close() {
      if (poll) clearInterval(poll);
      const all = [...running.values()];
      for (const r of all) r.controller.abort();
      await Promise.all(all.map((r) => r.done));
    },
  };
}

export type { AfterVerified, RenderFiles } from './runUnit';
export { claimUnit } from './claim';
