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
import type { ServiceImpl } from './handlers/types';
import { createUnitsService } from './handlers/units';
import { createOrdersService } from './handlers/orders';
import { createProfilesService, readEntropyFloor } from './handlers/profiles';
import { createOrderBook, type OrderBook } from './orders';
import { createProfileLibrary, type ProfileLibrary } from './profiles';
import { createStationService } from './handlers/station';
import { createStation, type AfterVerified, type RenderFiles, type Station } from './station';
import type { OpenDeviceSession, TransportSettings } from './transport/types';
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
  const services = {
    ...createAppService({ store, dataDir: deps.dataDir, runtime: deps.runtime }),
    ...createUnitsService({ store }),
    ...createJobsService({ jobs }),
    ...createProfilesService({ store, profiles, clock, randomBytes: random }),
    ...createOrdersService({ store, book: orders, jobs }),
    ...createStationService({ station }),
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
      store.close();
    },
  };
}
