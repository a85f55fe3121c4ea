import { randomBytes, randomUUID } from 'node:crypto';
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
    ...createSerialService({ store, ports, terminals }),
  } satisfies Services;
  return {
    services,
    dispatch: createDispatch(services),
    events,
    store,
    jobs,
    close: () => {
      watcher?.stop();
      void terminals.closeAll();
      store.close();
    },
  };
}
