import { createRequire } from 'node:module';
import type Pg from 'pg';
import { describe, expect, it } from 'vitest';
import { lazyObject, lazyRequire } from '../../../electron/core/lazyModule';

const require = createRequire(import.meta.url);
const loaded = (name: string) => Object.keys(require.cache).some((f) => f.includes(`/node_modules/${name}/`));

describe('lazyRequire', () => {
  it('loads the package on first property access, not before, and forwards to it', () => {
    expect(loaded('pg')).toBe(false);
    const pg = lazyRequire<typeof Pg>('pg');
    expect(loaded('pg')).toBe(false);
    expect(pg.Pool).toBe((require('pg') as typeof Pg).Pool);
    expect(loaded('pg')).toBe(true);
    expect('Client' in pg).toBe(true);
  });

  it('lazyObject makes its value once and forwards reads, writes and `this`', () => {
    let made = 0;
    const real = {
      n: 1,
      bump(this: { n: number }) {
        return ++this.n;
      },
    };
    const lazy = lazyObject(() => (made++, real));
    expect(made).toBe(0);
    expect(lazy.bump()).toBe(2);
    lazy.n = 10;
    expect(real.n).toBe(10);
    expect(made).toBe(1);
  });
});
