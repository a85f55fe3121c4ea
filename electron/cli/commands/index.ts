import type { Command, CommandEntry, CommandSpec } from '../command';
import * as specs from './specs';

/**
 * A table row: the spec now, the implementation when the command runs. Each import is its own
 * chunk of the compiled CLI (scripts/build-cli.js splits them), so `lineside info` never loads
 * the modules of `serve`, `esp image` or `line connect`.
 */
function lazy(spec: CommandSpec, load: () => Promise<Record<string, unknown>>): CommandEntry {
  return {
    ...spec,
    async load() {
      const found = Object.values(await load())
        .flat()
        .find((c): c is Command => isCommand(c) && c.name === spec.name);
      if (!found) throw new Error(`The module for "${spec.name}" does not export that command.`);
      return found;
    },
  };
}

function isCommand(value: unknown): value is Command {
  return typeof value === 'object' && value !== null && 'name' in value && 'run' in value;
}

/** Every CLI command, in the order `lineside --help` lists them; later modules add theirs here. */
export const commands: CommandEntry[] = [
  lazy(specs.info, () => import('./info')),
  lazy(specs.unitsList, () => import('./units')),
  lazy(specs.unitsGet, () => import('./units')),
  lazy(specs.profilesCheck, () => import('./profiles')),
  lazy(specs.ordersCreate, () => import('./orders')),
  lazy(specs.ordersList, () => import('./orders')),
  lazy(specs.ordersExport, () => import('./orders')),
  lazy(specs.ordersVoid, () => import('./orders')),
  lazy(specs.ordersActive, () => import('./orders')),
  lazy(specs.idsReserve, () => import('./ids')),
  lazy(specs.configRender, () => import('./config')),
  lazy(specs.provision, () => import('./provision')),
  lazy(specs.ports, () => import('./ports')),
  lazy(specs.labelsTemplates, () => import('./labels')),
  lazy(specs.labelsRender, () => import('./labels')),
  lazy(specs.labelsPrint, () => import('./labels')),
  lazy(specs.labelsReprint, () => import('./labels')),
  lazy(specs.labelsHistory, () => import('./labels')),
  lazy(specs.labelsPrinter, () => import('./labels')),
  lazy(specs.labelsTest, () => import('./labels')),
  lazy(specs.caStatus, () => import('./ca')),
  lazy(specs.caCreate, () => import('./ca')),
  lazy(specs.caImport, () => import('./ca')),
  lazy(specs.certsIssue, () => import('./certs')),
  lazy(specs.certsRevoke, () => import('./certs')),
  lazy(specs.certsCrl, () => import('./certs')),
  lazy(specs.certsList, () => import('./certs')),
  lazy(specs.storeDump, () => import('./store')),
  lazy(specs.storeSet, () => import('./store')),
  lazy(specs.claimId, () => import('./store')),
  lazy(specs.espImage, () => import('./esp')),
  lazy(specs.espReadStore, () => import('./esp')),
  lazy(specs.cloudStatus, () => import('./cloud')),
  lazy(specs.cloudPush, () => import('./cloud')),
  lazy(specs.cloudRetry, () => import('./cloud')),
  lazy(specs.cloudReport, () => import('./cloud')),
  lazy(specs.cloudToken, () => import('./cloud')),
  lazy(specs.cloudTokens, () => import('./cloud')),
  lazy(specs.serializeServe, () => import('./serialize')),
  lazy(specs.lineStatus, () => import('./line')),
  lazy(specs.lineConnect, () => import('./line')),
  lazy(specs.lineDisconnect, () => import('./line')),
  lazy(specs.lineSettings, () => import('./line')),
  lazy(specs.lineReport, () => import('./line')),
  lazy(specs.lineLeases, () => import('./line')),
  lazy(specs.lineReturn, () => import('./line')),
  lazy(specs.lineVoid, () => import('./line')),
  lazy(specs.call, () => import('./call')),
  lazy(specs.serve, () => import('./serve')),
  lazy(specs.start, () => import('./start')),
];
