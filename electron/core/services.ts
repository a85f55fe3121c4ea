import fs from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { UnitSummary } from '../shared/contract';
import type { Operations } from '../shared/contract';
import type { ChannelMap } from '../shared/contract/types';
import { accessChannels, type AccessOps } from '../shared/contract/access';
import { appChannels, type AppOps } from '../shared/contract/app';
import { certsChannels, type CertsOps } from '../shared/contract/certs';
import { cloudChannels, type CloudOps } from '../shared/contract/cloud';
import { devStoreChannels, type DevStoreOps } from '../shared/contract/devstore';
import { diagnosticsChannels, type DiagnosticsOps } from '../shared/contract/diagnostics';
import { jobsChannels, type JobsOps } from '../shared/contract/jobs';
import { labelDesignerChannels, type LabelDesignerOps } from '../shared/contract/labelDesigner';
import { labelsChannels, type LabelsOps } from '../shared/contract/labels';
import { lineChannels, type LineOps } from '../shared/contract/line';
import { ordersChannels, type OrdersOps } from '../shared/contract/orders';
import { profileEditorChannels, type ProfileEditorOps } from '../shared/contract/profileEditor';
import { profilesChannels, type ProfilesOps } from '../shared/contract/profiles';
import { reportsChannels, type ReportsOps } from '../shared/contract/reports';
import { serialChannels, type SerialOps } from '../shared/contract/serial';
import { serializeChannels, type SerializeOps } from '../shared/contract/serialize';
import { stationChannels, type StationOps } from '../shared/contract/station';
import { unitsChannels, type UnitsOps } from '../shared/contract/units';
import { systemClock, type Clock, type RandomBytes } from './clock';
import { createDispatch, type Dispatch } from './dispatch';
import { createEventBus, type EventBus } from './eventBus';
import { createJobs, type Jobs } from './jobs';
import { databaseFile } from './paths';
import { createCertificates, type Certificates, type PassphraseVault } from './certs';
import { createAccess, guardServices, roleOf, type Access } from './access';
import { createAccessService } from './handlers/access';
import { describePrinter } from './access/setup';
import { Failure } from './failure';
import { createAppService, type RuntimeInfo } from './handlers/app';
import { createCertsService } from './handlers/certs';
import { createJobsService } from './handlers/jobs';
import { createSerialService } from './handlers/serial';
import { createLabelsHandlers } from './handlers/labels';
import { createLabels } from './labels';
import type { SystemPrintAdapter } from './labels/drivers';
import type { LabelProfileInput } from './labels/fields';
import type { LabelPrinting } from './labels/printing';
import { createDeviceStoreService } from './handlers/devstore';
import { createClaimWatchService } from './handlers/evaluator';
import { createDiagnosticsService } from './handlers/diagnostics';
import { createDeviceStoreSessions, type DeviceStoreSessions } from './devstore/sessions';
import type { CallContext, ServiceImpl } from './handlers/types';
import { createUnitsService } from './handlers/units';
import { createOrdersService } from './handlers/orders';
import { createProfilesService } from './handlers/profiles';
import { readEntropyFloor, readStationSettings } from './settings';
import { lazyObject } from './lazyModule';
import { createProfileEditorService } from './handlers/profileEditor';
import { createReportsService } from './handlers/reports';
import { createProfileDrafts } from './profiles/drafts';
import { createOrderBook, type OrderBook } from './orders';
import { createProfileLibrary, type ProfileLibrary } from './profiles';
import { createStationService } from './handlers/station';
import { createStation, type AfterVerified, type RenderFiles, type Station } from './station';
import type { OpenDeviceSession, TransportSettings } from './transport/types';
import { createSerialLink } from './serial/link';
import { createPortLister, type PortLister } from './serial/ports';
import { createTerminals } from './serial/terminal';
import { createPortWatcher } from './serial/watch';
import { createStore, type Store } from './store';
import { createLineWiring, type LineWiring } from './line-wiring';
import { openDeviceSession } from './transport';
import { createCloud, type Cloud, type CloudOptions } from './cloud';
import { createCloudService } from './handlers/cloud';
import { createSerializeHandlers } from './handlers/serialize';
import { createKeyFileProtector, createSecrets, type Protector, type Secrets } from './secrets';
import { createTextSealer } from './secrets/sealedText';
import { sealStoredTokens } from './secrets/sealAtRest';
import { createSerializeService, type SerializeService } from './serialization-service';
import { createLineMode, type LineMode, type LineModeOptions } from './line-db';
import { createLineService } from './handlers/line';

export type Services = ServiceImpl<Operations>;

export interface ServiceDeps {
  dataDir: string;
  runtime: RuntimeInfo;
  clock?: Clock;
  randomBytes?: RandomBytes;
  newId?: () => string;
  /** Profiles shipped with Lineside; default `factory-profiles/` in the working directory. */
  factoryProfilesDir?: string;
  /**
   * The station run's device side. Tests pass a fake device here; production uses the real serial
   * transports and the line wiring (electron/core/line-wiring): device.json5 from the unit's profile
   * version, certificates, provision.json5, then the outbox and the label after a PASS.
   */
  openSession?: OpenDeviceSession;
  renderFiles?: RenderFiles;
  afterVerified?: readonly AfterVerified[];
  transportSettings?: (orderId: string) => TransportSettings;
  /** Serial port listing (tests pass a fake sysfs root). */
  ports?: PortLister;
  /** Whether a slot's port path is there now (default: it exists on disk); fake devices say yes. */
  portPresent?: (path: string) => boolean;
  /** How often the station looks for a finished unit's port disappearing; 0 = never. */
  slotPollMs?: number;
  /** How often to look for plugged/unplugged ports; 0 switches the watcher off. */
  portPollMs?: number;
  /** The app's resources folder (built-in label templates); default: ./resources. */
  resourcesDir?: string;
  /** Electron's silent print to a named printer; without it system printers go through CUPS. */
  systemPrint?: SystemPrintAdapter | null;
  /** A unit's profile as labels need it (wired to profiles by the station). */
  labelProfileFor?: (unit: UnitSummary) => LabelProfileInput | null;
  /** Keeps the CA passphrase between runs (Electron safeStorage); absent = type it each time. */
  passphraseVault?: PassphraseVault;
  /** How secrets are sealed at rest: Electron passes safeStorage; default a 0600 key file in dataDir. */
  secretsProtector?: Protector;
  cloud?: CloudOptions;
  /** For tests: a cheaper scrypt cost for the engineer PIN. */
  pinCost?: { N: number; r: number; p: number };
  /** Line mode (PostgreSQL): background work, timeouts; `envUrl` defaults to LINESIDE_LINE_URL. */
  line?: LineModeOptions & { envUrl?: string };
}

export interface ServicesHandle {
  services: Services;
  dispatch: Dispatch;
  events: EventBus;
  /** Core internals for tests, the CLI's local commands and benches. Never sent to the renderer. */
  store: Store;
  jobs: Jobs;
  /** Work orders and claim-ID transitions (see electron/core/orders/index.ts). */
  orders: OrderBook;
  profiles: ProfileLibrary;
  station: Station;
  /** The production line's wiring: transport settings and the files of a unit (`esp image`). */
  wiring: LineWiring;
  /** Label printing for the station run: `labels.printUnit(claimId)` after a unit verifies. */
  labels: LabelPrinting;
  /** The factory CA and device certificates: the station run issues through this. */
  certs: Certificates;
  deviceStores: DeviceStoreSessions;
  secrets: Secrets;
  /** The outbox and its sender: the station run calls `cloud.enqueue` when a unit verifies. */
  cloud: Cloud;
  serialize: SerializeService;
  /** Locked station mode and operator sign-in; the services refuse setup while locked. */
  access: Access;
  /** Line mode: leases, outbox and the line's report (electron/core/line-db). */
  line: LineMode;
  close(): void;
}

/** The data directory holds the database, keys and logs: owner only (0700), tightened if looser. */
function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32' && (fs.statSync(dir).mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}

/** Made on first call, then the same value every time. */
type Once<T> = { (): T; made(): boolean };

function once<T>(make: () => T): Once<T> {
  let made = false;
  let value: T;
  const get = () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
  return Object.assign(get, { made: () => made });
}

/**
 * A namespace's operations, each forwarding to the implementation `make` builds on the first call
 * of any of them. The operation names come from the namespace's channel map (the contract), so the
 * composition below lists every namespace without building any; `make` is typechecked against the
 * namespace's operations, so a missing or misspelt operation is still a compile error.
 */
function lazyNamespace<Ops extends object>(
  channels: ChannelMap<Ops>,
  make: () => ServiceImpl<Ops>,
): ServiceImpl<Ops> {
  const impl = once(make);
  type Handler = (req: unknown, call?: CallContext) => unknown;
  const namespace: Record<string, Handler> = {};
  for (const name of Object.keys(channels)) {
    // The call context (the client's signal) goes through with the request.
    namespace[name] = (req, call) => (impl() as Record<string, Handler>)[name]!(req, call);
  }
  return namespace as ServiceImpl<Ops>;
}

/**
 * The single implementation of the contract, wired from plain factories. Only the store is opened
 * here; every other part (and the packages it loads) is made on first use, so `lineside info`
 * pays for the store and the app namespace alone. Background work the caller asks for
 * (`cloud.autoStart`, `line.autoStart`) starts at once.
 */
export function createServices(deps: ServiceDeps): ServicesHandle {
  const clock = deps.clock ?? systemClock;
  const newId = deps.newId ?? randomUUID;
  const random = deps.randomBytes ?? randomBytes;
  const events = createEventBus();
  ensurePrivateDir(deps.dataDir);
  const store: Store = createStore({
    file: databaseFile(deps.dataDir),
    clock,
    actor: () => {
      const { stationName, operator } = readStationSettings(store);
      return { station: stationName, operator, role: roleOf(store) };
    },
  });
  const stationDir = path.join(deps.dataDir, 'profiles');
  const jobs = once(() => createJobs({ bus: events, clock, newId }));
  // Secrets (and sealing any token still stored in the clear) on first use of anything secret.
  const sealed = once(() => {
    const keyFile = createKeyFileProtector({
      keyFile: path.join(deps.dataDir, 'secrets.key'),
      randomBytes: random,
    });
    const secrets = createSecrets({
      db: store.db,
      clock,
      randomBytes: random,
      protector: deps.secretsProtector ?? keyFile,
      alsoReads: deps.secretsProtector ? [keyFile] : [],
    });
    const sealer = createTextSealer(store.db, secrets);
    sealStoredTokens(store, secrets, sealer);
    return { secrets, sealer };
  });
  const secrets = () => sealed().secrets;
  const sealer = () => sealed().sealer;
  const profiles = once(() =>
    createProfileLibrary({
      factoryDir: deps.factoryProfilesDir ?? path.resolve('factory-profiles'),
      stationDir,
      entropyFloor: () => readEntropyFloor(store),
    }),
  );
  const orders = once(() =>
    createOrderBook({
      store,
      clock,
      randomBytes: random,
      profiles: profiles(),
      secrets: secrets(),
      sealer: sealer(),
      onUnitsChanged: (claimIds) => events.emit('unitsChanged', { claimIds }),
      onOrdersChanged: (orderIds) => events.emit('ordersChanged', { orderIds }),
    }),
  );
  const ports = once(() => deps.ports ?? createPortLister());
  const terminals = once(() =>
    createTerminals({
      openLink: createSerialLink,
      emit: (event) => events.emit('terminalData', event),
      newId,
      logDir: path.join(deps.dataDir, 'logs', 'terminal'),
      clock,
    }),
  );
  const pollMs = deps.portPollMs ?? 2000;
  // Plugged and unplugged ports reach the screens without anyone asking: the watcher starts now
  // (its first listing, and serialport, come one interval later, off the start-up path).
  const watcher =
    pollMs > 0
      ? createPortWatcher({
          list: () => ports().listFast(),
          onChange: (event) => events.emit('portsChanged', event),
          intervalMs: pollMs,
        })
      : null;
  // Labels ask the line wiring for a unit's profile and the wiring prints through labels: each is
  // made on first use and reaches the other only inside a call, so neither is used before it exists.
  const labels = once(() =>
    createLabels({
      store,
      dataDir: deps.dataDir,
      resourcesDir: deps.resourcesDir ?? path.resolve('resources'),
      systemPrint: deps.systemPrint ?? null,
      profileFor: deps.labelProfileFor ?? ((unit) => line().labelProfileFor(unit)),
    }),
  );
  const labelHandlers = once(() => createLabelsHandlers({ labels: labels(), store, jobs: jobs() }));
  const certs = once(() =>
    createCertificates({
      dataDir: deps.dataDir,
      store,
      clock,
      randomBytes: random,
      ...(deps.passphraseVault ? { vault: deps.passphraseVault } : {}),
    }),
  );
  const deviceStores = once(() => createDeviceStoreSessions({ clock, newId, bus: events }));
  const lineMode = once(() =>
    createLineMode({
      store,
      clock,
      secrets: secrets(),
      book: orders(),
      randomBytes: random,
      envUrl: deps.line?.envUrl ?? process.env.LINESIDE_LINE_URL,
      stationName: () => readStationSettings(store).stationName,
      onChange: (status) => events.emit('lineChanged', status),
      options: deps.line ?? {},
    }),
  );
  const cloud = once(() =>
    createCloud({
      store,
      secrets: secrets(),
      clock,
      events,
      ...(deps.cloud ? { options: deps.cloud } : {}),
    }),
  );
  const serialize: Once<SerializeService> = once(() =>
    createSerializeService({
      store,
      clock,
      secrets: secrets(),
      events,
      assign: (orderId) => lineMode().assignNext(orderId, null).claimId,
      onIssued: (claimId, orderId) => {
        if (!serialize().status().settings.printLabels) return;
        labels()
          .printing.printIssued(claimId)
          .catch((error: unknown) =>
            store.events.append({
              kind: 'label.print-failed',
              claimId,
              orderId,
              data: { by: 'serialize', message: error instanceof Error ? error.message : String(error) },
            }),
          );
      },
    }),
  );
  // The production line: orders, certificates, cloud and labels joined for the station run.
  const line: Once<LineWiring> = once(() =>
    createLineWiring({
      store,
      orders: orders(),
      cloud: cloud(),
      secrets: secrets(),
      sealer: sealer(),
      labels: labels().printing,
      certs: certs(),
      clock,
      profileDir: (name) => path.dirname(profiles().get(name).file),
    }),
  );
  const station = once(() =>
    createStation({
      store,
      sealer: sealer(),
      bus: events,
      clock,
      openSession: deps.openSession ?? openDeviceSession,
      renderFiles: deps.renderFiles ?? line().renderFiles,
      afterVerified: deps.afterVerified ?? line().afterVerified,
      transportSettings: deps.transportSettings ?? line().transportSettings,
      // A line order's next ID comes from the block leased into this store: no round trip.
      assignNext: (orderId, serial) => lineMode().assignNext(orderId, serial),
      activeOrder: {
        get: () => orders().getActiveOrderId(),
        set: (orderId) => orders().setActiveOrder(orderId),
      },
      stationName: () => readStationSettings(store).stationName,
      orderSerials: (orderId) => {
        const order = orders().getOrder(orderId);
        return { spec: order.serials, quantity: order.quantity };
      },
      placeholderSerials: (orderId) => line().placeholderSerials(orderId),
      listPorts: async () => (await ports().listFast()).ports,
      ...(deps.portPresent ? { portPresent: deps.portPresent } : {}),
      pollMs: deps.slotPollMs ?? 1000,
    }),
  );
  const access = once((): Access =>
    createAccess({
      store,
      clock,
      randomBytes: random,
      ...(deps.pinCost ? { pinCost: deps.pinCost } : {}),
      onChanged: (state) => events.emit('accessChanged', state),
      snapshot: async () => {
        const run = await station().state();
        const orderId = run.config.activeOrderId;
        if (!orderId)
          throw new Failure(
            'conflict',
            'Choose the work order before locking the station: the technician cannot change it afterwards.',
          );
        const order = orders().getOrder(orderId);
        const label = await services.getLabelSettings(undefined);
        return {
          orderId,
          profileName: order.profileName,
          profileHash: order.profileHash,
          slotCount: run.config.slotCount,
          ports: Object.fromEntries(run.slots.flatMap((s) => (s.port ? [[String(s.slot), s.port]] : []))),
          printer: describePrinter(label.printer),
        };
      },
    }),
  );
  const services = {
    ...lazyNamespace<AccessOps>(accessChannels, () => createAccessService({ access: access() })),
    ...lazyNamespace<AppOps>(appChannels, () =>
      createAppService({ store, dataDir: deps.dataDir, runtime: deps.runtime }),
    ),
    ...lazyNamespace<UnitsOps>(unitsChannels, () => createUnitsService({ store })),
    ...lazyNamespace<JobsOps>(jobsChannels, () => createJobsService({ jobs: jobs() })),
    ...lazyNamespace<ProfilesOps>(profilesChannels, () =>
      createProfilesService({ store, profiles: profiles(), clock, randomBytes: random }),
    ),
    ...lazyNamespace<OrdersOps>(ordersChannels, () =>
      createOrdersService({ store, book: orders(), jobs: jobs(), line: lineMode() }),
    ),
    ...lazyNamespace<StationOps>(stationChannels, () => createStationService({ station: station() })),
    ...lazyNamespace<SerialOps>(serialChannels, () =>
      createSerialService({
        store,
        ports: ports(),
        terminals: terminals(),
        onSlotsChanged: () => void station().refresh(),
      }),
    ),
    ...lazyNamespace<LabelsOps>(labelsChannels, () => labelHandlers().service),
    ...lazyNamespace<LabelDesignerOps>(labelDesignerChannels, () => labelHandlers().designer),
    ...lazyNamespace<CertsOps>(certsChannels, () => createCertsService({ certs: certs() })),
    ...lazyNamespace<DevStoreOps>(devStoreChannels, () => ({
      ...createDeviceStoreService({ store, sessions: deviceStores(), clock, newId, ports: ports() }),
      ...createClaimWatchService({ store, jobs: jobs() }),
    })),
    ...lazyNamespace<DiagnosticsOps>(diagnosticsChannels, () =>
      createDiagnosticsService({ store, clock, newId }),
    ),
    ...lazyNamespace<CloudOps>(cloudChannels, () =>
      createCloudService({ store, clock, cloud: cloud(), secrets: secrets() }),
    ),
    ...lazyNamespace<SerializeOps>(serializeChannels, () =>
      createSerializeHandlers({
        serialize: serialize(),
        target: (request) => line().serializeTarget(request),
      }),
    ),
    ...lazyNamespace<ReportsOps>(reportsChannels, () => createReportsService({ store, clock })),
    ...lazyNamespace<ProfileEditorOps>(profileEditorChannels, () =>
      createProfileEditorService({
        drafts: createProfileDrafts({
          store,
          library: profiles(),
          secrets: secrets(),
          clock,
          stationDir,
          entropyFloor: () => readEntropyFloor(store),
        }),
      }),
    ),
    ...lazyNamespace<LineOps>(lineChannels, () => createLineService({ line: lineMode() })),
  } satisfies Services;
  // Background work the caller asked for starts now, not on the first call that needs it.
  if (deps.cloud?.autoStart) cloud();
  if (deps.line?.autoStart) lineMode();
  let closed = false;
  return {
    services,
    // The lock is checked on every call; the access state is read from the store when first asked.
    dispatch: createDispatch(guardServices(services, lazyObject(access))),
    events,
    store,
    get jobs() {
      return jobs();
    },
    get orders() {
      return orders();
    },
    get profiles() {
      return profiles();
    },
    get station() {
      return station();
    },
    get wiring() {
      return line();
    },
    get labels() {
      return labels().printing;
    },
    get certs() {
      return certs();
    },
    get deviceStores() {
      return deviceStores();
    },
    get secrets() {
      return secrets();
    },
    get cloud() {
      return cloud();
    },
    get serialize() {
      return serialize();
    },
    get access() {
      return access();
    },
    get line() {
      return lineMode();
    },
    close: () => {
      // Idempotent: a test (or a window and its app) may close the same station twice. Only the
      // parts that were made have anything to stop.
      if (closed) return;
      closed = true;
      if (cloud.made()) cloud().halt();
      if (certs.made()) certs().keys.close();
      if (lineMode.made()) void lineMode().close();
      if (serialize.made())
        void serialize()
          .stop()
          .catch(() => undefined);
      if (station.made()) void station().close();
      watcher?.stop();
      if (terminals.made()) void terminals().closeAll();
      if (deviceStores.made()) void deviceStores().closeAll();
      // The unlocked CA key lives only in memory: closing the station locks it.
      if (certs.made()) certs().ca.lock();
      store.close();
    },
  };
}
