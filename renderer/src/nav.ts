/** The app's screens, in navigation order (Alt+1..9, Alt+0). */
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
}

export const screens: ScreenEntry[] = [
  { id: 'station', label: 'Station' },
  { id: 'orders', label: 'Work orders' },
  { id: 'devices', label: 'Devices' },
  { id: 'labels', label: 'Labels' },
  { id: 'cloud', label: 'Cloud' },
  { id: 'line', label: 'Line' },
  { id: 'diagnostics', label: 'Diagnostics' },
  { id: 'profiles', label: 'Profiles' },
  { id: 'settings', label: 'Settings' },
  { id: 'reports', label: 'Shift report' },
];

/** Where the app opens: the line's own screen, never a set-up screen. */
export const firstScreen: ScreenId = 'station';
