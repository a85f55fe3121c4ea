/**
 * Light, dark or the system's choice (prefers-color-scheme). The choice belongs to this screen, not
 * the station, so it is kept in the browser's localStorage and set as data-theme on <html>.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'lineside.theme';

export function readTheme(): ThemeChoice {
  try {
    const v = window.localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
  try {
    if (choice === 'system') window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, choice);
  } catch {
    // Storage refused (private window): the choice lasts for this page only.
  }
}
