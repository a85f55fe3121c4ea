import type { Command } from '../command';
import { caCreateCommand, caImportCommand, caStatusCommand } from './ca';
import { callCommand } from './call';
import { certsCrlCommand, certsIssueCommand, certsListCommand, certsRevokeCommand } from './certs';
import { infoCommand } from './info';
import { provisionCommand } from './provision';
import { portsCommand } from './ports';
import { labelsCommands } from './labels';
import {
  cloudPushCommand,
  cloudReportCommand,
  cloudRetryCommand,
  cloudStatusCommand,
  cloudTokenCommand,
  cloudTokensCommand,
} from './cloud';
import { serializeServeCommand } from './serialize';
import { serveCommand } from './serve';
import { startCommand } from './start';
import { claimIdCommand, storeDumpCommand, storeSetCommand } from './store';
import { unitsGetCommand, unitsListCommand } from './units';
import { configRenderCommand } from './config';
import { idsReserveCommand } from './ids';
import {
  ordersActiveCommand,
  ordersCreateCommand,
  ordersExportCommand,
  ordersListCommand,
  ordersVoidCommand,
} from './orders';
import { profilesCheckCommand } from './profiles';
import { espImageCommand, espReadStoreCommand } from './esp';
import { lineCommands } from './line';

/** Every CLI command; later modules add theirs here. */
export const commands: Command[] = [
  infoCommand,
  unitsListCommand,
  unitsGetCommand,
  profilesCheckCommand,
  ordersCreateCommand,
  ordersListCommand,
  ordersExportCommand,
  ordersVoidCommand,
  ordersActiveCommand,
  idsReserveCommand,
  configRenderCommand,
  provisionCommand,
  portsCommand,
  ...labelsCommands,
  caStatusCommand,
  caCreateCommand,
  caImportCommand,
  certsIssueCommand,
  certsRevokeCommand,
  certsCrlCommand,
  certsListCommand,
  storeDumpCommand,
  storeSetCommand,
  claimIdCommand,
  espImageCommand,
  espReadStoreCommand,
  cloudStatusCommand,
  cloudPushCommand,
  cloudRetryCommand,
  cloudReportCommand,
  cloudTokenCommand,
  cloudTokensCommand,
  serializeServeCommand,
  ...lineCommands,
  callCommand,
  serveCommand,
  startCommand,
];
