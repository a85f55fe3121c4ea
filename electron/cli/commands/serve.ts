import fs from 'node:fs';
import path from 'node:path';
import { isLoopback, startBridge } from '../../bridge/server';
import type { CommandContext } from '../context';
import { EXIT } from '../exitCodes';
import { openInBrowser } from '../launch';
import { stringOption, type Command } from '../command';
import * as specs from './specs';

export interface ServeOptions {
  host?: string | undefined;
  port?: number | undefined;
  open: boolean;
}

/** Browser mode: the station's services behind the bridge, until Ctrl+C. */
export async function serve(ctx: CommandContext, options: ServeOptions): Promise<number> {
  const staticDir = path.join(ctx.root, 'dist', 'renderer');
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    ctx.io.stderr('The renderer is not built: run `npm run build:renderer` (npm run serve does it for you).');
    return EXIT.unavailable;
  }
  // Browser mode is the station: it registers queued units as the Electron window would.
  const handle = ctx.services('browser', { cloud: { autoStart: true }, line: { autoStart: true } });
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) {
    ctx.io.stderr(
      `WARNING: the bridge listens on ${host}, not only this computer. Anyone on that network who has the ` +
        'link (with its token) can operate this station. Use it only on a trusted line network.',
    );
  }
  const bridge = await startBridge({
    dispatch: handle.dispatch,
    events: handle.events,
    staticDir,
    host,
    port: options.port,
  });
  ctx.io.stdout(`Lineside is running in browser mode: ${bridge.appUrl}`);
  ctx.io.stdout(`Data directory: ${ctx.dataDir}. Press Ctrl+C to stop.`);
  if (options.open) openInBrowser(bridge.appUrl, process.platform);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await bridge.close();
  ctx.close();
  return EXIT.ok;
}

export const serveCommand: Command = {
  ...specs.serve,
  async run(ctx, args) {
    const port = stringOption(args, 'port');
    return serve(ctx, {
      host: stringOption(args, 'host'),
      port: port === undefined ? undefined : Number(port),
      open: args.values.open === true,
    });
  },
};
