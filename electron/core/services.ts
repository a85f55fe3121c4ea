import { randomBytes, randomUUID } from 'node:crypto';
import type { Operations } from '../shared/contract';
import { systemClock, type Clock, type RandomBytes } from './clock';
import { createDispatch, type Dispatch } from './dispatch';
import { createEventBus, type EventBus } from './eventBus';
import { createJobs, type Jobs } from './jobs';
import { databaseFile } from './paths';
import { createAppService, readStationSettings, type RuntimeInfo } from './handlers/app';
import { createDevStoreService } from './handlers/devstore';
import { createDiagnosticsService } from './handlers/diagnostics';
import { createJobsService } from './handlers/jobs';
import { createDeviceStoreSessions, type DeviceStoreSessions } from './devstore/sessions';
import type { ServiceImpl } from './handlers/types';
import { createUnitsService } from './handlers/units';
import { createStore, type Store } from './store';

export type Services = ServiceImpl<Operations>;

export interface ServiceDeps {
  dataDir: string;
  runtime: RuntimeInfo;
  clock?: Clock;
  randomBytes?: RandomBytes;
  newId?: () => string;
}

export interface ServicesHandle {
  services: Services;
  dispatch: Dispatch;
  events: EventBus;
  /** Core internals for tests, the CLI's local commands and benches. Never sent to the renderer. */
  store: Store;
  jobs: Jobs;
  deviceStores: DeviceStoreSessions;
  close(): void;
}

/** The single implementation of the contract, wired from plain factories. */
export function createServices(deps: ServiceDeps): ServicesHandle {
  const clock = deps.clock ?? systemClock;
  const newId = deps.newId ?? randomUUID;
  // Kept for the modules that draw claim IDs, serials and tokens.
  void (deps.randomBytes ?? randomBytes);
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
  const deviceStores = createDeviceStoreSessions({ clock, newId, bus: events });
  const services = {
    ...createAppService({ store, dataDir: deps.dataDir, runtime: deps.runtime }),
    ...createUnitsService({ store }),
    ...createJobsService({ jobs }),
    ...createDevStoreService({ store, jobs, sessions: deviceStores, clock, newId }),
    ...createDiagnosticsService({ store, clock, newId }),
  } satisfies Services;
  return {
    services,
    dispatch: createDispatch(services),
    events,
    store,
    jobs,
    deviceStores,
    close: () => {
      void deviceStores.closeAll();
      store.close();
    },
  };
}
