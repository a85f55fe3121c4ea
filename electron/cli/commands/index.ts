import type { Command } from '../command';
import { caCreateCommand, caImportCommand, caStatusCommand } from './ca';
import { callCommand } from './call';
import { certsCrlCommand, certsIssueCommand, certsListCommand, certsRevokeCommand } from './certs';
import { infoCommand } from './info';
import { serveCommand } from './serve';
import { startCommand } from './start';
import { unitsGetCommand, unitsListCommand } from './units';

/** Every CLI command; later modules add theirs here. */
export const commands: Command[] = [
  infoCommand,
  unitsListCommand,
  unitsGetCommand,
  caStatusCommand,
  caCreateCommand,
  caImportCommand,
  certsIssueCommand,
  certsRevokeCommand,
  certsCrlCommand,
  certsListCommand,
  callCommand,
  serveCommand,
  startCommand,
];
