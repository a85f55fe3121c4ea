import os from 'node:os';
import path from 'node:path';

export interface DataDirInput {
  /** `--data-dir` on the command line. */
  flag?: string | undefined;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  home: string;
}

/**
 * Where bridge and CLI keep the station database: `--data-dir`, else LINESIDE_DATA_DIR, else the
 * platform's usual per-user data directory (the same place Electron's userData points to).
 */
export function resolveDataDir({ flag, env, platform, home }: DataDirInput): string {
  if (flag) return path.resolve(flag);
  if (env.LINESIDE_DATA_DIR) return path.resolve(env.LINESIDE_DATA_DIR);
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Lineside');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Lineside');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Lineside');
}

export function defaultDataDir(flag?: string): string {
  return resolveDataDir({ flag, env: process.env, platform: process.platform, home: os.homedir() });
}

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'lineside.db');
}
