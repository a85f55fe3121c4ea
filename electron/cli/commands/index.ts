import type { Command } from '../command';
import { callCommand } from './call';
import { infoCommand } from './info';
import { serveCommand } from './serve';
import { startCommand } from './start';
import { claimIdCommand, storeDumpCommand, storeSetCommand } from './store';
import { unitsGetCommand, unitsListCommand } from './units';

/** Every CLI command; later modules add theirs here. */
export const commands: Command[] = [
  infoCommand,
  unitsListCommand,
  unitsGetCommand,
  storeDumpCommand,
  storeSetCommand,
  claimIdCommand,
  callCommand,
  serveCommand,
  startCommand,
];
