import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { UnitSummary } from '../shared/contract';
import type { Operations } from '../shared/contract';
import { systemClock, type Clock, type RandomBytes } from './clock';
import { createDispatch, type Dispatch } from './dispatch';
import { createEventBus, type EventBus } from './eventBus';
import { createJobs, type Jobs } from './jobs';
import { databaseFile } from './paths';
import { createAppService, readStationSettings, type RuntimeInfo } from './handlers/app';
import { createJobsService } from './handlers/jobs';
import { createLabelsService } from './handlers/labels';
import type { SystemPrintAdapter } from './labels/drivers';
import type { LabelProfileInput } from './labels/fields';
import type { LabelPrinting } from './labels/printing';
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
  /** The app's resources folder (built-in label templates); default: ./resources. */
  resourcesDir?: string;
  /** Electron's silent print to a named printer; without it system printers go through CUPS. */
  systemPrint?: SystemPrintAdapter | null;
  /** A unit's profile as labels need it (wired to profiles by the station). */
  labelProfileFor?: (unit: UnitSummary) => LabelProfileInput | null;
}

export interface ServicesHandle {
  services: Services;
  dispatch: Dispatch;
  events: EventBus;
  /** Core internals for tests, the CLI's local commands and benches. Never sent to the renderer. */
  store: Store;
  jobs: Jobs;
  /** Label printing for the station run: `labels.printUnit(claimId)` after a unit verifies. */
  labels: LabelPrinting;
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
  const labels = createLabelsService({
    store,
    jobs,
    dataDir: deps.dataDir,
    resourcesDir: deps.resourcesDir ?? path.resolve('resources'),
    systemPrint: deps.systemPrint ?? null,
    ...(deps.labelProfileFor ? { profileFor: deps.labelProfileFor } : {}),
  });
  const services = {
    ...createAppService({ store, dataDir: deps.dataDir, runtime: deps.runtime }),
    ...createUnitsService({ store }),
    ...createJobsService({ jobs }),
    ...labels.service,
  } satisfies Services;
  return {
    services,
    dispatch: createDispatch(services),
    events,
    store,
    jobs,
    labels: labels.printing,
    close: () => store.close(),
  };
}
