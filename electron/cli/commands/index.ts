import type { Command } from '../command';
import { callCommand } from './call';
import { infoCommand } from './info';
import { labelsCommands } from './labels';
import { serveCommand } from './serve';
import { startCommand } from './start';
import { unitsGetCommand, unitsListCommand } from './units';

/** Every CLI command; later modules add theirs here. */
export const commands: Command[] = [
  infoCommand,
  unitsListCommand,
  unitsGetCommand,
  ...labelsCommands,
  callCommand,
  serveCommand,
  startCommand,
];
