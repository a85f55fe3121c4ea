/**
 * The app's screens, in navigation order. A screen that is not built yet is listed disabled, so
 * the navigation shows the whole station without pretending.
 */
export type ScreenId =
  'station' | 'orders' | 'devices' | 'labels' | 'cloud' | 'diagnostics' | 'profiles' | 'settings';

export interface ScreenEntry {
  id: ScreenId;
  label: string;
  enabled: boolean;
}

export const screens: ScreenEntry[] = [
  { id: 'station', label: 'Station', enabled: false },
  { id: 'orders', label: 'Work orders', enabled: false },
  { id: 'devices', label: 'Devices', enabled: true },
  { id: 'labels', label: 'Labels', enabled: false },
  { id: 'cloud', label: 'Cloud', enabled: true },
  { id: 'diagnostics', label: 'Diagnostics', enabled: false },
  { id: 'profiles', label: 'Profiles', enabled: false },
  { id: 'settings', label: 'Settings', enabled: true },
];

export const firstScreen: ScreenId = screens.find((s) => s.enabled)?.id ?? 'settings';
