import type {
  SerializeSettings,
  SerializeStatusReport,
  SerializeWrongProductDevice,
} from '../../shared/contract';
import type { Clock } from '../clock';
import type { EventBus } from '../eventBus';
import { Failure } from '../failure';
import type { Secrets } from '../secrets';
import type { Store } from '../store';
import { createAllowList, DEFAULT_ALLOW } from './allowList';
import { createUnitsIdSource, type IdSource } from './idSource';
import { recentJournal, recentRefusals } from './journal';
import { startSerializeServer, type SerializeServer } from './server';

export type { IdSource } from './idSource';
export { createUnitsIdSource } from './idSource';

export const DEFAULT_SERIALIZE: SerializeSettings = {
  host: '127.0.0.1',
  port: 8471,
  path: '/serialize',
  allow: DEFAULT_ALLOW,
  printLabels: false,
};

const SETTINGS_KEY = 'serialize';

export interface SerializeStart extends Partial<SerializeSettings> {
  orderId: string;
  productRef: string;
  /** Replaces the units-table source (e.g. the active order's IDs). */
  idSource?: IdSource;
}

/** The serialization service's lifecycle: off until started, one at a time, settings remembered. */
export interface SerializeService {
  status(): SerializeStatusReport;
  start(request: SerializeStart): Promise<SerializeStatusReport>;
  stop(): Promise<SerializeStatusReport>;
}

export function createSerializeService(deps: {
  store: Store;
  clock: Clock;
  secrets: Secrets;
  events: EventBus;
  onIssued?: (claimId: string, orderId: string) => void;
  /** The order's next reserved claim ID, assigned (orders.assignNextReserved). */
  assign: (orderId: string) => string;
}): SerializeService {
  const { store, clock, secrets, events } = deps;
  let running: { server: SerializeServer; orderId: string; productRef: string } | null = null;
  /** Wrong-product refusals per device (address + name + model), since the service started. */
  let wrongProduct = new Map<string, SerializeWrongProductDevice>();
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v.slice(0, 100) : null);
  /** Counts the answers the source refuses for the product token (403 from the source itself). */
  const counting = (source: IdSource): IdSource => ({
    next(request) {
      const answer = source.next(request);
      if (!answer.ok && answer.status === 403) {
        const name = text(request.body.name);
        const model = text(request.body.model);
        const key = JSON.stringify([request.remote, name, model]);
        const at = clock.now().toISOString();
        const seen = wrongProduct.get(key);
        if (seen) {
          seen.count++;
          seen.lastAt = at;
        } else
          wrongProduct.set(key, { remote: request.remote, name, model, count: 1, firstAt: at, lastAt: at });
      }
      return answer;
    },
  });
  const settings = () => ({
    ...DEFAULT_SERIALIZE,
    ...store.settings.get<Partial<SerializeSettings>>(SETTINGS_KEY, {}),
  });

  const status = (): SerializeStatusReport => {
    running?.server.flushRefusals();
    return report();
  };
  const report = (): SerializeStatusReport => ({
    running: running !== null,
    url: running?.server.url ?? null,
    settings: settings(),
    orderId: running?.orderId ?? null,
    product: running ? secrets.summary(running.productRef) : null,
    lastRequests: recentJournal(store, 20),
    wrongProduct: [...wrongProduct.values()]
      .sort((a, b) => b.count - a.count || (a.remote < b.remote ? -1 : 1))
      .map((d) => ({ ...d })),
    refusals: recentRefusals(store, 20),
  });

  return {
    status,
    async start(request) {
      const { orderId, productRef, idSource, ...patch } = request;
      const next = { ...settings(), ...patch };
      createAllowList(next.allow);
      const summary = secrets.summary(productRef);
      if (!summary)
        throw new Failure('not-found', 'That product token is not stored on this station.', {
          field: 'productRef',
        });
      if (running) await running.server.close();
      running = null;
      wrongProduct = new Map();
      const product = secrets.reveal(productRef);
      const server = await startSerializeServer({
        store,
        clock,
        idSource: counting(idSource ?? createUnitsIdSource({ orderId, product, assign: deps.assign })),
        ...next,
        onAnswer: (entry) => events.emit('serializeAnswered', entry),
        ...(deps.onIssued ? { onIssued: deps.onIssued } : {}),
      });
      store.transaction(() => {
        store.settings.set(SETTINGS_KEY, next);
        store.events.append({
          kind: 'serialize.started',
          orderId,
          data: { url: server.url, allow: next.allow },
        });
      });
      running = { server, orderId, productRef };
      return status();
    },
    async stop() {
      if (running) {
        const { server, orderId } = running;
        running = null;
        store.events.append({ kind: 'serialize.stopped', orderId });
        await server.close();
      }
      return status();
    },
  };
}
