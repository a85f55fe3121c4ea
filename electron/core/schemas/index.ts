import type { ZodType } from 'zod';
import type { OperationName, Operations } from '../../shared/contract';
import type { ChannelMap } from '../../shared/contract/types';
import { accessChannels, type AccessOps } from '../../shared/contract/access';
import { appChannels, type AppOps } from '../../shared/contract/app';
import { certsChannels, type CertsOps } from '../../shared/contract/certs';
import { devStoreChannels, type DevStoreOps } from '../../shared/contract/devstore';
import { diagnosticsChannels, type DiagnosticsOps } from '../../shared/contract/diagnostics';
import { jobsChannels, type JobsOps } from '../../shared/contract/jobs';
import { stationChannels, type StationOps } from '../../shared/contract/station';
import { serialChannels, type SerialOps } from '../../shared/contract/serial';
import { labelsChannels, type LabelsOps } from '../../shared/contract/labels';
import { cloudChannels, type CloudOps } from '../../shared/contract/cloud';
import { serializeChannels, type SerializeOps } from '../../shared/contract/serialize';
import { unitsChannels, type UnitsOps } from '../../shared/contract/units';
import { profilesChannels, type ProfilesOps } from '../../shared/contract/profiles';
import { ordersChannels, type OrdersOps } from '../../shared/contract/orders';
import { profileEditorChannels, type ProfileEditorOps } from '../../shared/contract/profileEditor';
import { labelDesignerChannels, type LabelDesignerOps } from '../../shared/contract/labelDesigner';
import { reportsChannels, type ReportsOps } from '../../shared/contract/reports';
import { lineChannels, type LineOps } from '../../shared/contract/line';
import type { SchemaMap } from './types';

type Loader = () => Promise<ZodType>;

/**
 * A namespace's argument schemas, built when one of its operations is first called: building all
 * of them (several hundred zod objects) cost a noticeable part of `lineside info`'s start-up. The
 * operation names come from the namespace's channel map; `load` is typechecked against the
 * namespace's operations, so a missing or mistyped schema is still a compile error.
 */
function lazySchemas<Ops extends object>(
  channels: ChannelMap<Ops>,
  load: () => Promise<SchemaMap<Ops>>,
): Record<keyof Ops, Loader> {
  let loaded: Promise<SchemaMap<Ops>> | undefined;
  const loaders = {} as Record<keyof Ops, Loader>;
  for (const name of Object.keys(channels) as (keyof Ops)[]) {
    loaders[name] = async () => {
      loaded ??= load();
      return (await loaded)[name] as ZodType;
    };
  }
  return loaders;
}

/** Every operation's argument schema, loaded on first use; a missing one is a compile error. */
export const schemaLoaders = {
  ...lazySchemas<AccessOps>(accessChannels, () => import('./access').then((m) => m.accessSchemas)),
  ...lazySchemas<AppOps>(appChannels, () => import('./app').then((m) => m.appSchemas)),
  ...lazySchemas<CertsOps>(certsChannels, () => import('./certs').then((m) => m.certsSchemas)),
  ...lazySchemas<DevStoreOps>(devStoreChannels, () => import('./devstore').then((m) => m.devStoreSchemas)),
  ...lazySchemas<DiagnosticsOps>(diagnosticsChannels, () =>
    import('./diagnostics').then((m) => m.diagnosticsSchemas),
  ),
  ...lazySchemas<JobsOps>(jobsChannels, () => import('./jobs').then((m) => m.jobsSchemas)),
  ...lazySchemas<StationOps>(stationChannels, () => import('./station').then((m) => m.stationSchemas)),
  ...lazySchemas<SerialOps>(serialChannels, () => import('./serial').then((m) => m.serialSchemas)),
  ...lazySchemas<LabelsOps>(labelsChannels, () => import('./labels').then((m) => m.labelsSchemas)),
  ...lazySchemas<CloudOps>(cloudChannels, () => import('./cloud').then((m) => m.cloudSchemas)),
  ...lazySchemas<SerializeOps>(serializeChannels, () =>
    import('./serialize').then((m) => m.serializeSchemas),
  ),
  ...lazySchemas<UnitsOps>(unitsChannels, () => import('./units').then((m) => m.unitsSchemas)),
  ...lazySchemas<ProfilesOps>(profilesChannels, () => import('./profiles').then((m) => m.profilesSchemas)),
  ...lazySchemas<OrdersOps>(ordersChannels, () => import('./orders').then((m) => m.ordersSchemas)),
  ...lazySchemas<ProfileEditorOps>(profileEditorChannels, () =>
    import('./profileEditor').then((m) => m.profileEditorSchemas),
  ),
  ...lazySchemas<LabelDesignerOps>(labelDesignerChannels, () =>
    import('./labelDesigner').then((m) => m.labelDesignerSchemas),
  ),
  ...lazySchemas<ReportsOps>(reportsChannels, () => import('./reports').then((m) => m.reportsSchemas)),
  ...lazySchemas<LineOps>(lineChannels, () => import('./line').then((m) => m.lineSchemas)),
} satisfies { [K in OperationName]: Loader };

type NoExtra<T, Allowed> = Exclude<keyof T, Allowed> extends never ? true : never;
export const schemasHaveNoExtraKeys: NoExtra<typeof schemaLoaders, OperationName> = true;

/** The argument schema of one operation (its namespace's schemas are built on the first call). */
export function schemaFor(operation: OperationName): Promise<ZodType> {
  return schemaLoaders[operation]();
}

/** Every schema, built now (tests). */
export async function allSchemas(): Promise<SchemaMap<Operations>> {
  const entries = await Promise.all(
    (Object.keys(schemaLoaders) as OperationName[]).map(async (op) => [op, await schemaFor(op)] as const),
  );
  return Object.fromEntries(entries) as unknown as SchemaMap<Operations>;
}
