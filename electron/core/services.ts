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
import { createStore, type Store } from './store';
import { createCloud, type Cloud, type CloudOptions } from './cloud';
import { createCloudService } from './handlers/cloud';
import { createSerializeHandlers } from './handlers/serialize';
import { createKeyFileProtector, createSecrets, type Protector, type Secrets } from './secrets';
import { createSerializeService, type SerializeService } from './serialize';

export type Services = ServiceImpl<Operations>;

export interface ServiceDeps {
  dataDir: string;
  runtime: RuntimeInfo;
  clock?: Clock;
  randomBytes?: RandomBytes;
  newId?: () => string;
  /** How secrets are sealed at rest: Electron passes safeStorage; default a 0600 key file in dataDir. */
  secretsProtector?: Protector;
  cloud?: CloudOptions;
}

export interface ServicesHandle {
  services: Services;
  dispatch: Dispatch;
  events: EventBus;
  /** Core internals for tests, the CLI's local commands and benches. Never sent to the renderer. */
  store: Store;
  jobs: Jobs;
  secrets: Secrets;
  /** The outbox and its sender: the station run calls `cloud.enqueue` when a unit verifies. */
  cloud: Cloud;
  serialize: SerializeService;
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
  const cloud = createCloud({
    store,
    secrets,
    clock,
    events,
    ...(deps.cloud ? { options: deps.cloud } : {}),
  });
  const serialize = createSerializeService({ store, clock, secrets, events });
  const services = {
    ...createAppService({ store, dataDir: deps.dataDir, runtime: deps.runtime }),
    ...createUnitsService({ store }),
    ...createJobsService({ jobs }),
    ...createCloudService({ store, clock, cloud, secrets }),
    ...createSerializeHandlers({ serialize }),
  } satisfies Services;
  return {
    services,
    dispatch: createDispatch(services),
    events,
    store,
    jobs,
    secrets,
    cloud,
    serialize,
    close: () => {
      cloud.halt();
      void serialize.stop().catch(() => undefined);
      store.close();
    },
  };
}
