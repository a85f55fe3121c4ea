import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * How `npm start` decides between the Electron window and browser mode. Pure, so it is tested
 * without launching anything.
 */
export type LaunchDecision =
  { mode: 'electron'; binary: string } | { mode: 'browser'; reason: string; openBrowser: boolean };

export interface LaunchInput {
  binary: string | null;
  /** Why the binary is missing (the install script's failure), when it is. */
  missingReason: string | null;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** `--browser` / `npm run serve`. */
  forceBrowser: boolean;
}

export function hasDisplay(platform: NodeJS.Platform, env: Record<string, string | undefined>): boolean {
  if (platform === 'win32' || platform === 'darwin') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

export function decideLaunch(input: LaunchInput): LaunchDecision {
  const display = hasDisplay(input.platform, input.env);
  if (input.forceBrowser) return { mode: 'browser', reason: 'browser mode requested', openBrowser: display };
  if (!input.binary) {
    return {
      mode: 'browser',
      reason: `Electron's binary is not available (${input.missingReason ?? 'not installed'})`,
      openBrowser: display,
    };
  }
  if (!display) return { mode: 'browser', reason: 'no display to open a window on', openBrowser: false };
  return { mode: 'electron', binary: input.binary };
}

/** The Electron binary that `npm install` put in node_modules, or null with the reason. */
export function findElectronBinary(root: string): { binary: string | null; reason: string | null } {
  try {
    const require = createRequire(path.join(root, 'package.json'));
    const binary = require('electron') as unknown;
    if (typeof binary === 'string' && fs.existsSync(binary)) return { binary, reason: null };
    return { binary: null, reason: 'the electron package has no binary' };
  } catch (error) {
    return { binary: null, reason: firstLine(error) };
  }
}

/** Runs electron's own install script (the download npm's allowScripts skipped). */
export function installElectronBinary(root: string, timeoutMs = 120_000): string | null {
  const script = path.join(root, 'node_modules', 'electron', 'install.js');
  if (!fs.existsSync(script)) return 'the electron package is not installed (run npm install)';
  const run = spawnSync(process.execPath, [script], {
    cwd: path.dirname(script),
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (run.error) return firstLine(run.error);
  if (run.status !== 0)
    return `download failed: ${firstLine(run.stderr || run.stdout || `exit ${run.status}`)}`;
  return null;
}

export function openInBrowser(url: string, platform: NodeJS.Platform): void {
  const [cmd, args] =
    platform === 'win32'
      ? ['cmd', ['/c', 'start', '', url]]
      : platform === 'darwin'
        ? ['open', [url]]
        : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

function firstLine(value: unknown): string {
  const text = value instanceof Error ? value.message : String(value);
  return (text.split('\n').find((l) => l.trim().length > 0) ?? text).trim().slice(0, 200);
}
