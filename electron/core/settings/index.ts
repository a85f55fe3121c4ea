/**
 * The station's own settings as the core reads them (the station's name and operator, the claim-ID
 * entropy floor): plain readers and writers over the store's settings table, shared by the
 * handlers, the access lock, the line mode and the composition in services.ts.
 */
import os from 'node:os';
import type { StationSettings } from '../../shared/contract';
import { DEFAULT_ENTROPY_FLOOR } from '../ids/alphabet';
import type { Store } from '../store';

export const STATION_SETTINGS_KEY = 'station';
export const ENTROPY_FLOOR_KEY = 'ids.entropyFloor';

/** The station's name and operator; the host name and "unassigned" until someone sets them. */
export function readStationSettings(store: Store): StationSettings {
  return store.settings.get<StationSettings>(STATION_SETTINGS_KEY, {
    stationName: os.hostname(),
    operator: 'unassigned',
  });
}

/** The lowest entropy (bits) a profile's claim-ID policy may have. */
export function readEntropyFloor(store: Store): number {
  return store.settings.get<number>(ENTROPY_FLOOR_KEY, DEFAULT_ENTROPY_FLOOR);
}
