import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Operations } from '../shared/contract';
import { systemClock, type Clock, type RandomBytes } from './clock';
import { createDispatch, type Dispatch } from './dispatch';
import { createEventBus, type EventBus } from './eventBus';
import { createJobs, type Jobs } from './jobs';
import { databaseFile } from './paths';
import { createAppService, readStationSettings, type RuntimeInfo } from './handlers/app';
import { createJobsService } from './handlers/jobs';
import { createSerialService } from './handlers/serial';
import type { ServiceImpl } from './handlers/types';
import { createUnitsService } from './handlers/units';
import { createOrdersService } from './handlers/orders';
import { createProfilesService, readEntropyFloor } from './handlers/profiles';
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
   * The station run's device side. Tests pass a fake device here; production gets the real serial
   * transports and the profile renderer from their modules. Without them, starting a unit fails
   * with a message that says so.
   */
  openSession?: OpenDeviceSession;
  renderFiles?: RenderFiles;
  afterVerified?: readonly AfterVerified[];
  transportSettings?: (orderId: string) => TransportSettings;
  /** Serial port listing (tests pass a fake sysfs root). */
  ports?: PortLister;
  /** How often to look for plugged/unplugged ports; 0 switches the watcher off. */
  portPollMs?: number;
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
  close(): void;
}

/** The single implementation of the contract, wired from plain factories. */
export function createServices(deps: ServiceDeps): ServicesHandle {
  const clock = deps.clock ?? systemClock;
  const newId = deps.newId ?? randomUUID;
  const random = deps.randomBytes ?? randomBytes;
  const events = createEventBus();
  const store: Store = createStore({
    file: databaseFile(deps.dataDir),
    clock,
    actor: () => {
      const { stationName, operator } = readStationSettings(store);
      return { station: stationName, operator };
    },
  });
  const jobs = createJobs({ bus: events, clock, newId });
  const profiles = createProfileLibrary({
    factoryDir: deps.factoryProfilesDir ?? path.resolve('factory-profiles'),
    stationDir: path.join(deps.dataDir, 'profiles'),
    entropyFloor: () => readEntropyFloor(store),
  });
  const orders = createOrderBook({
    store,
    clock,
    randomBytes: random,
    profiles,
    onUnitsChanged: (claimIds) => events.emit('unitsChanged', { claimIds }),
    onOrdersChanged: (orderIds) => events.emit('ordersChanged', { orderIds }),
  });
  const station = createStation({
    store,
    bus: events,
    clock,
    ...(deps.openSession ? { openSession: deps.openSession } : {}),
    ...(deps.renderFiles ? { renderFiles: deps.renderFiles } : {}),
    ...(deps.afterVerified ? { afterVerified: deps.afterVerified } : {}),
    ...(deps.transportSettings ? { transportSettings: deps.transportSettings } : {}),
  });
  const ports = deps.ports ?? createPortLister();
  const terminals = createTerminals({
    openLink: createSerialLink,
    emit: (event) => events.emit('terminalData', event),
    newId,
  });
  const pollMs = deps.portPollMs ?? 2000;
  const watcher =
    pollMs > 0
      ? createPortWatcher({
          list: () => ports.listFast(),
          onChange: (event) => events.emit('portsChanged', event),
          intervalMs: pollMs,
        })
      : null;
  const services = {
    ...createAppService({ store, dataDir: deps.dataDir, runtime: deps.runtime }),
    ...createUnitsService({ store }),
    ...createJobsService({ jobs }),
    ...createProfilesService({ store, profiles, clock, randomBytes: random }),
    ...createOrdersService({ store, book: orders, jobs }),
    ...createStationService({ station }),
    ...createSerialService({ store, ports, terminals }),
  } satisfies Services;
  return {
    services,
    dispatch: createDispatch(services),
    events,
    store,
    jobs,
    orders,
    profiles,
    station,
    close: () => {
      void station.close();
      watcher?.stop();
      void terminals.closeAll();
      store.close();
    },
  };
}
