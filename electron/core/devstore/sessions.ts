/** Open device-store sources by id: live handles stay here, the renderer only sees DTOs. */
import type { DeviceStoreReport } from '../../shared/contract';
import type { Clock } from '../clock';
import type { EventBus } from '../eventBus';
import { Failure } from '../failure';
import type { DeviceStoreSource } from './source';

export interface DeviceStoreSessions {
  add(source: DeviceStoreSource): Promise<DeviceStoreReport>;
  get(sourceId: string): DeviceStoreSource;
  report(sourceId: string): Promise<DeviceStoreReport>;
  list(): Promise<DeviceStoreReport[]>;
  close(sourceId: string): Promise<boolean>;
  closeAll(): Promise<void>;
}

export function createDeviceStoreSessions(deps: {
  clock: Clock;
  newId: () => string;
  bus: EventBus;
}): DeviceStoreSessions {
  const open = new Map<string, { source: DeviceStoreSource; openedAt: string; unsubscribe: () => void }>();

  const get = (sourceId: string) => {
    const entry = open.get(sourceId);
    if (!entry)
      throw new Failure('not-found', 'That device store is no longer open: open it again.', {
        field: 'sourceId',
      });
    return entry;
  };

  const report = async (sourceId: string): Promise<DeviceStoreReport> => {
    const { source, openedAt } = get(sourceId);
    const d = source.describe();
    return {
      sourceId,
      kind: d.kind,
      label: d.label,
      writable: d.writable && typeof source.setItem === 'function',
      models: await source.listModels(),
      byteOrder: d.byteOrder ?? null,
      journalRecords: d.journalRecords ?? null,
      complete: d.complete ?? true,
      error: d.error ?? null,
      torn: d.torn ?? [],
      notices: d.notices ?? [],
      openedAt,
    };
  };

  return {
    async add(source) {
      const sourceId = deps.newId();
      const unsubscribe =
        source.onChange?.((sks) => deps.bus.emit('deviceStoreChanged', { sourceId, sks })) ?? (() => {});
      open.set(sourceId, { source, openedAt: deps.clock.now().toISOString(), unsubscribe });
      return report(sourceId);
    },
    get: (sourceId) => get(sourceId).source,
    report,
    list: () => Promise.all([...open.keys()].map(report)),
    async close(sourceId) {
      const entry = open.get(sourceId);
      if (!entry) return false;
      open.delete(sourceId);
      entry.unsubscribe();
      await entry.source.close();
      deps.bus.emit('deviceStoreChanged', { sourceId, sks: [] });
      return true;
    },
    async closeAll() {
      await Promise.all([...open.keys()].map((id) => this.close(id)));
    },
  };
}
