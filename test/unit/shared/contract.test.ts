import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  channels,
  eventChannels,
  operationNames,
  operations,
  schemas,
} from '../../../electron/shared/contract';
import { accessChannels, accessOperations, accessSchemas } from '../../../electron/shared/contract/access';
import { appChannels, appOperations, appSchemas } from '../../../electron/shared/contract/app';
import { certsChannels, certsOperations, certsSchemas } from '../../../electron/shared/contract/certs';
import { cloudChannels, cloudOperations, cloudSchemas } from '../../../electron/shared/contract/cloud';
import {
  devStoreChannels,
  devStoreOperations,
  devStoreSchemas,
} from '../../../electron/shared/contract/devstore';
import {
  diagnosticsChannels,
  diagnosticsOperations,
  diagnosticsSchemas,
} from '../../../electron/shared/contract/diagnostics';
import { jobsChannels, jobsOperations, jobsSchemas } from '../../../electron/shared/contract/jobs';
import {
  labelDesignerChannels,
  labelDesignerOperations,
  labelDesignerSchemas,
} from '../../../electron/shared/contract/labelDesigner';
import { labelsChannels, labelsOperations, labelsSchemas } from '../../../electron/shared/contract/labels';
import { lineChannels, lineOperations, lineSchemas } from '../../../electron/shared/contract/line';
import { ordersChannels, ordersOperations, ordersSchemas } from '../../../electron/shared/contract/orders';
import {
  profileEditorChannels,
  profileEditorOperations,
  profileEditorSchemas,
} from '../../../electron/shared/contract/profileEditor';
import {
  profilesChannels,
  profilesOperations,
  profilesSchemas,
} from '../../../electron/shared/contract/profiles';
import {
  reportsChannels,
  reportsOperations,
  reportsSchemas,
} from '../../../electron/shared/contract/reports';
import { serialChannels, serialOperations, serialSchemas } from '../../../electron/shared/contract/serial';
import {
  serializeChannels,
  serializeOperations,
  serializeSchemas,
} from '../../../electron/shared/contract/serialize';
import {
  stationChannels,
  stationOperations,
  stationSchemas,
} from '../../../electron/shared/contract/station';
import { unitsChannels, unitsOperations, unitsSchemas } from '../../../electron/shared/contract/units';

// Each namespace file, with the channel prefix its operations use (profile editor and label
// designer share the profiles: and labels: prefixes with their namespaces).
const namespaces = {
  access: { prefix: 'access', defs: accessOperations, channels: accessChannels, schemas: accessSchemas },
  app: { prefix: 'app', defs: appOperations, channels: appChannels, schemas: appSchemas },
  certs: { prefix: 'certs', defs: certsOperations, channels: certsChannels, schemas: certsSchemas },
  cloud: { prefix: 'cloud', defs: cloudOperations, channels: cloudChannels, schemas: cloudSchemas },
  devstore: {
    prefix: 'devstore',
    defs: devStoreOperations,
    channels: devStoreChannels,
    schemas: devStoreSchemas,
  },
  diagnostics: {
    prefix: 'diagnostics',
    defs: diagnosticsOperations,
    channels: diagnosticsChannels,
    schemas: diagnosticsSchemas,
  },
  jobs: { prefix: 'jobs', defs: jobsOperations, channels: jobsChannels, schemas: jobsSchemas },
  labelDesigner: {
    prefix: 'labels',
    defs: labelDesignerOperations,
    channels: labelDesignerChannels,
    schemas: labelDesignerSchemas,
  },
  labels: { prefix: 'labels', defs: labelsOperations, channels: labelsChannels, schemas: labelsSchemas },
  line: { prefix: 'line', defs: lineOperations, channels: lineChannels, schemas: lineSchemas },
  orders: { prefix: 'orders', defs: ordersOperations, channels: ordersChannels, schemas: ordersSchemas },
  profileEditor: {
    prefix: 'profiles',
    defs: profileEditorOperations,
    channels: profileEditorChannels,
    schemas: profileEditorSchemas,
  },
  profiles: {
    prefix: 'profiles',
    defs: profilesOperations,
    channels: profilesChannels,
    schemas: profilesSchemas,
  },
  reports: { prefix: 'reports', defs: reportsOperations, channels: reportsChannels, schemas: reportsSchemas },
  serial: { prefix: 'serial', defs: serialOperations, channels: serialChannels, schemas: serialSchemas },
  serialize: {
    prefix: 'serialize',
    defs: serializeOperations,
    channels: serializeChannels,
    schemas: serializeSchemas,
  },
  station: { prefix: 'station', defs: stationOperations, channels: stationChannels, schemas: stationSchemas },
  units: { prefix: 'units', defs: unitsOperations, channels: unitsChannels, schemas: unitsSchemas },
};

describe('the contract', () => {
  it('names every operation channel namespace:kebab-action, once', () => {
    const names = Object.values(channels);
    for (const name of names) expect(name).toMatch(/^[a-z]+(-[a-z]+)*:[a-z]+(-[a-z]+)*$/);
    expect(new Set(names).size).toBe(names.length);
  });

  it('names every event channel namespace:on-thing, distinct from operations', () => {
    for (const name of Object.values(eventChannels)) expect(name).toMatch(/^[a-z]+:on-[a-z]+(-[a-z]+)*$/);
    const all = [...Object.values(channels), ...Object.values(eventChannels)];
    expect(new Set(all).size).toBe(all.length);
  });

  it('has exactly one argument schema per operation', () => {
    expect(Object.keys(schemas).sort()).toEqual([...operationNames].sort());
    for (const name of operationNames) expect(schemas[name]).toBeInstanceOf(z.ZodType);
  });

  it.each(Object.entries(namespaces))(
    'namespace %s: its schemas are exactly its operations, each next to its channel',
    (_name, ns) => {
      const names = Object.keys(ns.defs).sort();
      expect(names.length).toBeGreaterThan(0);
      expect(Object.keys(ns.schemas).sort()).toEqual(names);
      expect(Object.keys(ns.channels).sort()).toEqual(names);
      for (const [op, def] of Object.entries(ns.defs)) {
        expect(ns.channels[op as keyof typeof ns.channels]).toBe(def.channel);
        expect(ns.schemas[op as keyof typeof ns.schemas]).toBe(def.request);
        expect(def.channel.startsWith(`${ns.prefix}:`)).toBe(true);
        // The merged maps dispatch and the transports use carry the same definition.
        expect(operations[op as keyof typeof operations]).toBe(def);
      }
    },
  );

  it('covers every operation by exactly one namespace file', () => {
    const all = Object.values(namespaces).flatMap((ns) => Object.keys(ns.defs));
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual([...operationNames].sort());
  });
});
