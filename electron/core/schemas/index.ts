import type { OperationName, Operations } from '../../shared/contract';
import { accessSchemas } from './access';
import { appSchemas } from './app';
import { certsSchemas } from './certs';
import { devStoreSchemas } from './devstore';
import { diagnosticsSchemas } from './diagnostics';
import { jobsSchemas } from './jobs';
import { stationSchemas } from './station';
import { serialSchemas } from './serial';
import { labelsSchemas } from './labels';
import { cloudSchemas } from './cloud';
import { serializeSchemas } from './serialize';
import type { SchemaMap } from './types';
import { unitsSchemas } from './units';
import { profilesSchemas } from './profiles';
import { ordersSchemas } from './orders';
import { profileEditorSchemas } from './profileEditor';
import { labelDesignerSchemas } from './labelDesigner';
import { reportsSchemas } from './reports';
import { lineSchemas } from './line';

/** Every operation's argument schema; a missing one is a compile error. */
export const schemas = {
  ...appSchemas,
  ...unitsSchemas,
  ...jobsSchemas,
  ...profilesSchemas,
  ...ordersSchemas,
  ...stationSchemas,
  ...serialSchemas,
  ...labelsSchemas,
  ...certsSchemas,
  ...devStoreSchemas,
  ...diagnosticsSchemas,
  ...cloudSchemas,
  ...serializeSchemas,
  ...accessSchemas,
  ...profileEditorSchemas,
  ...labelDesignerSchemas,
  ...reportsSchemas,
  ...lineSchemas,
} satisfies SchemaMap<Operations>;

type NoExtra<T, Allowed> = Exclude<keyof T, Allowed> extends never ? true : never;
export const schemasHaveNoExtraKeys: NoExtra<typeof schemas, OperationName> = true;
