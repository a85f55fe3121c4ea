import { describe, expect, it } from 'vitest';
import { channels, eventChannels, operationNames } from '../../../electron/shared/contract';
import { allSchemas, schemaLoaders } from '../../../electron/core/schemas';

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

  it('has exactly one argument schema per operation, each a zod schema once loaded', async () => {
    expect(Object.keys(schemaLoaders).sort()).toEqual([...operationNames].sort());
    const schemas = await allSchemas();
    for (const name of operationNames) expect(typeof schemas[name].safeParse, name).toBe('function');
  });
});
