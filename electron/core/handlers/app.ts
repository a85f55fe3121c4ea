import type { AppInfoReport, AppOps, TransportName } from '../../shared/contract';
import type { Store } from '../store';
import { readStationSettings, STATION_SETTINGS_KEY } from '../settings';
import type { ServiceImpl } from './types';

export interface RuntimeInfo {
  transport: TransportName;
  appVersion: string;
  electronVersion: string | null;
  chromeVersion: string | null;
}

export function createAppService(deps: {
  store: Store;
  dataDir: string;
  runtime: RuntimeInfo;
}): ServiceImpl<AppOps> {
  const { store, dataDir, runtime } = deps;
  return {
    getAppInfo(): AppInfoReport {
      const sqlite = store.db.prepare('SELECT sqlite_version()').pluck().get() as string;
      return {
        name: 'Lineside',
        version: runtime.appVersion,
        transport: runtime.transport,
        versions: {
          node: process.versions.node,
          electron: runtime.electronVersion,
          chrome: runtime.chromeVersion,
          sqlite,
        },
        platform: `${process.platform}-${process.arch}`,
        dataDir,
        databaseFile: store.file,
        schemaVersion: store.schemaVersion,
      };
    },
    getStationSettings: () => readStationSettings(store),
    updateStationSettings(patch) {
      const next = { ...readStationSettings(store), ...patch };
      store.transaction(() => {
        store.settings.set(STATION_SETTINGS_KEY, next);
        store.events.append({ kind: 'settings.station-changed', data: { ...patch } });
      });
      return next;
    },
  };
}
