import * as z from 'zod';
import { noArgs } from './fields';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';

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

const name = lazySchema(() => z.string().trim().min(1, 'must not be empty').max(80, 'at most 80 characters'));

export const updateStationSettingsRequest = lazySchema(
  () =>
    z.object({ stationName: name.optional(), operator: name.optional() }).strict() satisfies z.ZodType<
      Partial<StationSettings>
    >,
);
export type UpdateStationSettingsRequest = z.output<typeof updateStationSettingsRequest>;

export const appOperations = {
  getAppInfo: op('app:get-info', noArgs).returns<AppInfoReport>(),
  getStationSettings: op('app:get-station-settings', noArgs).returns<StationSettings>(),
  updateStationSettings: op(
    'app:update-station-settings',
    updateStationSettingsRequest,
  ).returns<StationSettings>(),
};

export type AppOps = OpsOf<typeof appOperations>;
export const appChannels = channelsOf(appOperations);
export const appSchemas = schemasOf(appOperations);
