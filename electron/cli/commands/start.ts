import { spawn } from 'node:child_process';
import { decideLaunch, findElectronBinary, installElectronBinary } from '../launch';
import type { Command } from '../command';
import * as specs from './specs';
import { serve } from './serve';

/** `npm start`: the Electron window when its binary is there (fetching it on first use), else browser mode. */
export const startCommand: Command = {
  ...specs.start,
  async run(ctx, args) {
    const forceBrowser = args.values.browser === true;
    let found = findElectronBinary(ctx.root);
    if (!found.binary && !forceBrowser) {
      ctx.io.stderr('Fetching the Electron binary (first start)...');
      const installError = installElectronBinary(ctx.root);
      found = findElectronBinary(ctx.root);
      if (!found.binary && installError) found = { binary: null, reason: installError };
    }
    const decision = decideLaunch({
      binary: found.binary,
      missingReason: found.reason,
      platform: process.platform,
      env: process.env,
      forceBrowser,
    });
    if (decision.mode === 'electron') {
      const child = spawn(decision.binary, [ctx.root], { stdio: 'inherit' });
      return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
    }
    if (!forceBrowser) ctx.io.stderr(`${decision.reason}: starting browser mode instead.`);
    return serve(ctx, {
      open: decision.openBrowser,
      port: process.env.LINESIDE_PORT ? Number(process.env.LINESIDE_PORT) : undefined,
    });
  },
};
