/**
 * CommonJS packages that take tens of milliseconds to load (node-forge, pg), required on first
 * use instead of at start-up, so `lineside info` does not pay for certificates or the line
 * database. The proxy forwards every read and write to the package once loaded; call sites keep
 * writing `forge.asn1.create(...)`. Works in the ESM sources and CLI bundle (import.meta.url) and in
 * Electron's CommonJS main bundle (__filename).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const requireHere = createRequire(
  typeof __filename === 'string' && __filename.length > 0 ? pathToFileURL(__filename).href : import.meta.url,
);

/** The package's exports, loaded on first property access. */
export function lazyRequire<T extends object>(name: string): T {
  return lazyObject(() => requireHere(name) as T);
}

/** An object made on first property access (e.g. a sub-namespace of a lazily loaded package). */
export function lazyObject<T extends object>(load: () => T): T {
  let loaded: T | undefined;
  const real = (): T => (loaded ??= load());
  return new Proxy({} as T, {
    get: (_target, key) => Reflect.get(real(), key),
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
  });
}
