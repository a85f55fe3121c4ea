import type { ChannelMap, Op } from './types';

export type TransportName = 'electron' | 'browser' | 'cli';

export interface AppInfoReport {
  name: string;
  version: string;
  transport: TransportName;
  versions: { node: string; electron: string | null; chrome: string | null; sqlite: string };
  platform: string;
  dataDir: string;
  databaseFile: string;
  schemaVersion: number;
}

export interface StationSettings {
  /** Shown in every event-log entry as the station that did it. */
  stationName: string;
  /** The person signed in at the station; recorded with every event. */
  operator: string;
}

export type UpdateStationSettingsRequest = Partial<StationSettings>;

export interface AppOps {
  getAppInfo: Op<void, AppInfoReport>;
  getStationSettings: Op<void, StationSettings>;
  updateStationSettings: Op<UpdateStationSettingsRequest, StationSettings>;
}

export const appChannels = {
  getAppInfo: 'app:get-info',
  getStationSettings: 'app:get-station-settings',
  updateStationSettings: 'app:update-station-settings',
} as const satisfies ChannelMap<AppOps>;
