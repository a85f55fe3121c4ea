/**
 * The Lineside API contract: every operation's name, channel, argument schema, request and result
 * types. Imported by everyone (core implements it, main/preload/bridge/cli carry it, dispatch
 * validates with its schemas, the renderer calls it and checks its forms with the same schemas).
 * Imports nothing at runtime outside electron/shared but zod.
 *
 * To add an operation: add an `op(channel, schema).returns<Result>()` line to a namespace file's
 * `xxxOperations` (a new namespace: spread it into `operations` below and extend `Operations`).
 * A missing or extra channel, schema or service is a compile error.
 */
import type { EventSource, NamespacedApi } from './client';
import type { z } from 'zod';
import { channelsOf, schemasOf } from './types';
import { accessOperations, type AccessOps } from './access';
import { appOperations, type AppOps } from './app';
import { certsOperations, type CertsOps } from './certs';
import { devStoreOperations, type DevStoreOps } from './devstore';
import { diagnosticsOperations, type DiagnosticsOps } from './diagnostics';
import { cloudOperations, type CloudOps } from './cloud';
import { serializeOperations, type SerializeOps } from './serialize';
import { jobsOperations, type JobsOps } from './jobs';
import { stationOperations, type StationOps } from './station';
import { serialOperations, type SerialOps } from './serial';
import { labelsOperations, type LabelsOps } from './labels';
import { unitsOperations, type UnitsOps } from './units';
import { profilesOperations, type ProfilesOps } from './profiles';
import { ordersOperations, type OrdersOps } from './orders';
import { profileEditorOperations, type ProfileEditorOps } from './profileEditor';
import { labelDesignerOperations, type LabelDesignerOps } from './labelDesigner';
import { reportsOperations, type ReportsOps } from './reports';
import { lineOperations, type LineOps } from './line';

export interface Operations
  extends AppOps, UnitsOps, JobsOps, ProfilesOps, OrdersOps, StationOps, SerialOps {}
export interface Operations extends AppOps, UnitsOps, JobsOps, LabelsOps {}
export interface Operations extends AppOps, UnitsOps, JobsOps, CertsOps {}
export interface Operations extends AppOps, UnitsOps, JobsOps, DevStoreOps, DiagnosticsOps {}
export interface Operations extends AppOps, UnitsOps, JobsOps, CloudOps, SerializeOps {}
export interface Operations extends AppOps, AccessOps {}
export interface Operations extends AppOps, ProfileEditorOps, LabelDesignerOps, ReportsOps {}
export interface Operations extends AppOps, LineOps {}

export type OperationName = keyof Operations;
/** The request a service receives: the argument after its schema parsed it. */
export type RequestOf<K extends OperationName> = Operations[K]['req'];
/** What a client may send: the schema's input (before trimming and defaults). */
export type InputOf<K extends OperationName> = Operations[K]['in'];
export type ResponseOf<K extends OperationName> = Operations[K]['res'];

/** Every operation's definition (channel and argument schema), by name. */
export const operations = {
  ...appOperations,
  ...unitsOperations,
  ...jobsOperations,
  ...profilesOperations,
  ...ordersOperations,
  ...stationOperations,
  ...serialOperations,
  ...labelsOperations,
  ...certsOperations,
  ...devStoreOperations,
  ...diagnosticsOperations,
  ...cloudOperations,
  ...serializeOperations,
  ...accessOperations,
  ...profileEditorOperations,
  ...labelDesignerOperations,
  ...reportsOperations,
  ...lineOperations,
};

export const channels = channelsOf(operations) satisfies { readonly [K in OperationName]: string };
/** Every operation's argument schema: dispatch parses with it, the renderer checks forms with it. */
export const schemas = schemasOf(operations) satisfies {
  readonly [K in OperationName]: z.ZodType<RequestOf<K>, unknown>;
};

/** One operation's argument schema. */
export function schemaFor<K extends OperationName>(operation: K): (typeof schemas)[K] {
  return schemas[operation];
}

// Spreads skip excess-property checks, so check the other direction too: no channel without an op.
type NoExtra<T, Allowed> = Exclude<keyof T, Allowed> extends never ? true : never;
export const channelsHaveNoExtraKeys: NoExtra<typeof channels, OperationName> = true;
export const schemasHaveNoExtraKeys: NoExtra<typeof schemas, OperationName> = true;

/** What the renderer sees as `window.lineside` (Electron) or the bridge client (browser). */
export type LinesideApi = NamespacedApi<Operations, typeof channels>;

export interface LinesideClient extends LinesideApi, EventSource {}

export const operationNames = Object.keys(channels) as OperationName[];

export * from './types';

export * from './app';
export * from './access';
export * from './units';
export * from './jobs';
export * from './station';
export * from './serial';
export * from './labels';
export * from './certs';
export * from './devstore';
export * from './diagnostics';
export * from './cloud';
export * from './serialize';
export * from './events';
export * from './profiles';
export * from './profileEditor';
export * from './labelDesigner';
export * from './reports';
export * from './orders';
export * from './line';
export * from './client';
export * from './scopes';
export * from '../errors';
