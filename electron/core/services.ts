import { randomBytes, randomUUID } from 'node:crypto';
import type { Operations } from '../shared/contract';
import { systemClock, type Clock, type RandomBytes } from './clock';
import { createDispatch, type Dispatch } from './dispatch';
import { createEventBus, type EventBus } from './eventBus';
import { createJobs, type Jobs } from './jobs';
import { databaseFile } from './paths';
import { createCertificates, type Certificates, type PassphraseVault } from './certs';
import { createAppService, readStationSettings, type RuntimeInfo } from './handlers/app';
import { createCertsService } from './handlers/certs';
import { createJobsService } from './handlers/jobs';
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
  /** Keeps the CA passphrase between runs (Electron safeStorage); absent = type it each time. */
  passphraseVault?: PassphraseVault;
}

export interface ServicesHandle {
  services: Services;
  dispatch: Dispatch;
  events: EventBus;
  /** Core internals for tests, the CLI's local commands and benches. Never sent to the renderer. */
  store: Store;
  jobs: Jobs;
  /** The factory CA and device certificates: the station run issues through this. */
  certs: Certificates;
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
  const certs = createCertificates({
    dataDir: deps.dataDir,
    store,
    clock,
    randomBytes: random,
    ...(deps.passphraseVault ? { vault: deps.passphraseVault } : {}),
  });
  const services = {
    ...createAppService({ store, dataDir: deps.dataDir, runtime: deps.runtime }),
    ...createUnitsService({ store }),
    ...createJobsService({ jobs }),
    ...createCertsService({ certs }),
  } satisfies Services;
  return {
    services,
    dispatch: createDispatch(services),
    events,
    store,
    jobs,
    certs,
    close: () => {
      // The unlocked CA key lives only in memory: closing the station locks it.
      certs.ca.lock();
      store.close();
    },
  };
}
