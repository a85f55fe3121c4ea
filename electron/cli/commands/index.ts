import type { Command } from '../command';
import { callCommand } from './call';
import {
  cloudPushCommand,
  cloudReportCommand,
  cloudRetryCommand,
  cloudStatusCommand,
  cloudTokenCommand,
  cloudTokensCommand,
} from './cloud';
import { infoCommand } from './info';
import { serializeServeCommand } from './serialize';
import { serveCommand } from './serve';
import { startCommand } from './start';
import { unitsGetCommand, unitsListCommand } from './units';

/** Every CLI command; later modules add theirs here. */
export const commands: Command[] = [
  infoCommand,
  unitsListCommand,
  unitsGetCommand,
  cloudStatusCommand,
  cloudPushCommand,
  cloudRetryCommand,
  cloudReportCommand,
  cloudTokenCommand,
  cloudTokensCommand,
  serializeServeCommand,
  callCommand,
  serveCommand,
  startCommand,
];
