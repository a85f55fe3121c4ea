/**
 * The app's screens, in navigation order. A screen that is not built yet is listed disabled, so
 * the navigation shows the whole station without pretending.
 */
export type ScreenId =
  | 'station'
  | 'orders'
  | 'devices'
  | 'labels'
  | 'cloud'
  | 'line'
  | 'diagnostics'
  | 'profiles'
  | 'settings'
  | 'reports';

export interface ScreenEntry {
  id: ScreenId;
  label: string;
  enabled: boolean;
}

export const screens: ScreenEntry[] = [
  { id: 'station', label: 'Station', enabled: true },
  { id: 'orders', label: 'Work orders', enabled: true },
  { id: 'devices', label: 'Devices', enabled: true },
  { id: 'labels', label: 'Labels', enabled: true },
  { id: 'cloud', label: 'Cloud', enabled: true },
  { id: 'line', label: 'Line', enabled: true },
  { id: 'diagnostics', label: 'Diagnostics', enabled: true },
  { id: 'profiles', label: 'Profiles', enabled: true },
  { id: 'settings', label: 'Settings', enabled: true },
  { id: 'reports', label: 'Shift report', enabled: true },
];

/** Where the app opens: the line's own screen when it exists, else the units; never a set-up screen. */
const landing: ScreenId[] = ['station', 'devices'];
export const firstScreen: ScreenId =
  landing.find((id) => screens.some((s) => s.id === id && s.enabled)) ??
  screens.find((s) => s.enabled)?.id ??
  'settings';
