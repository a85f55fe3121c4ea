import type { OperationName, Operations } from '../../shared/contract';
import { appSchemas } from './app';
import { cloudSchemas } from './cloud';
import { jobsSchemas } from './jobs';
import { serializeSchemas } from './serialize';
import type { SchemaMap } from './types';
import { unitsSchemas } from './units';

/** Every operation's argument schema; a missing one is a compile error. */
export const schemas = {
  ...appSchemas,
  ...unitsSchemas,
  ...jobsSchemas,
  ...cloudSchemas,
  ...serializeSchemas,
} satisfies SchemaMap<Operations>;

type NoExtra<T, Allowed> = Exclude<keyof T, Allowed> extends never ? true : never;
export const schemasHaveNoExtraKeys: NoExtra<typeof schemas, OperationName> = true;
