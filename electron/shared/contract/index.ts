/**
 * The Lineside API contract: every operation's name, request and result types, and channel.
 * Imported by everyone (core implements it, main/preload/bridge/cli carry it, the renderer calls it).
 * Imports nothing at runtime outside electron/shared.
 *
 * To add an operation: add it to a namespace file's `XxxOps` and `xxxChannels`, then add the
 * namespace below. A missing or extra channel, schema or service is a compile error.
 */
import type { EventSource, NamespacedApi } from './client';
import { accessChannels, type AccessOps } from './access';
import { appChannels, type AppOps } from './app';
import { certsChannels, type CertsOps } from './certs';
import { devStoreChannels, type DevStoreOps } from './devstore';
import { diagnosticsChannels, type DiagnosticsOps } from './diagnostics';
import { cloudChannels, type CloudOps } from './cloud';
import { serializeChannels, type SerializeOps } from './serialize';
import { jobsChannels, type JobsOps } from './jobs';
import { stationChannels, type StationOps } from './station';
import { serialChannels, type SerialOps } from './serial';
import { labelsChannels, type LabelsOps } from './labels';
import { unitsChannels, type UnitsOps } from './units';
import { profilesChannels, type ProfilesOps } from './profiles';
import { ordersChannels, type OrdersOps } from './orders';
import { profileEditorChannels, type ProfileEditorOps } from './profileEditor';
import { labelDesignerChannels, type LabelDesignerOps } from './labelDesigner';
import { reportsChannels, type ReportsOps } from './reports';
import { lineChannels, type LineOps } from './line';

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
export type RequestOf<K extends OperationName> = Operations[K]['req'];
export type ResponseOf<K extends OperationName> = Operations[K]['res'];

export const channels = {
  ...appChannels,
  ...unitsChannels,
  ...jobsChannels,
  ...profilesChannels,
  ...ordersChannels,
  ...stationChannels,
  ...serialChannels,
  ...labelsChannels,
  ...certsChannels,
  ...devStoreChannels,
  ...diagnosticsChannels,
  ...cloudChannels,
  ...serializeChannels,
  ...accessChannels,
  ...profileEditorChannels,
  ...labelDesignerChannels,
  ...reportsChannels,
  ...lineChannels,
} as const satisfies { readonly [K in OperationName]: string };

// Spreads skip excess-property checks, so check the other direction too: no channel without an op.
type NoExtra<T, Allowed> = Exclude<keyof T, Allowed> extends never ? true : never;
export const channelsHaveNoExtraKeys: NoExtra<typeof channels, OperationName> = true;

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
