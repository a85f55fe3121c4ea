import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { channels, operationNames, schemaFor } from '../../../electron/shared/contract';
import { lazySchema, lazySchemasBuilt } from '../../../electron/shared/contract/types';

// Vitest gives each test file its own module registry, so this file sees the contract freshly
// imported: what `lineside info` or the preload pays for loading it.
describe('contract schemas are built on first use', () => {
  it('importing the contract builds none of them', () => {
    expect(Object.keys(channels).length).toBe(operationNames.length);
    expect(lazySchemasBuilt()).toBe(0);
  });

  it("parsing one operation's argument builds that schema and its parts, not every namespace's", () => {
    const parsed = schemaFor('createOrder').safeParse({ profile: ' acme ', quantity: 0 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['quantity', 'at least 1 unit'],
    ]);
    const afterOne = lazySchemasBuilt();
    expect(afterOne).toBeGreaterThan(0);
    expect(afterOne).toBeLessThan(10);
    expect(schemaFor('createOrder').parse({ profile: ' acme ', quantity: 3 })).toEqual({
      profile: 'acme',
      quantity: 3,
    });
    expect(lazySchemasBuilt()).toBe(afterOne);
  });

  it('a lazy schema behaves as the schema: nests, is a ZodType, and is built once', () => {
    let builds = 0;
    const inner = lazySchema(() => {
      builds += 1;
      return z.string().trim().min(2, 'two or more');
    });
    expect(builds).toBe(0);
    const outer = z.object({ name: inner, alias: inner.optional() }).strict();
    expect(inner).toBeInstanceOf(z.ZodType);
    expect(outer.safeParse({ name: ' x ' }).error?.issues[0]?.message).toBe('two or more');
    expect(outer.parse({ name: ' xy ', alias: 'abc' })).toEqual({ name: 'xy', alias: 'abc' });
    expect(builds).toBe(1);
  });
});
