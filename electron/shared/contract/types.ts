/** Building blocks for the per-namespace contract files. Imports only zod's types. */
import type { z } from 'zod';

/**
 * One operation: `req` is the request the service receives (the schema's parsed output, defaults
 * filled in, text trimmed), `in` what a client may send (the schema's input), `res` its result.
 */
export interface Op<Req, Res, In = Req> {
  req: Req;
  res: Res;
  in: In;
}

/** Channel names: `namespace:kebab-action` for operations, `namespace:on-thing` for events. */
export type Channel = `${string}:${string}`;

export type ChannelMap<Ops> = { readonly [K in keyof Ops]: Channel };

/**
 * One operation's definition, everything a transport needs in one place: its channel, the zod
 * schema its argument must pass, and (as a type only) what it answers.
 */
export interface OpDef<C extends Channel, S extends z.ZodType, Res> {
  readonly channel: C;
  readonly request: S;
  /** Never set: carries the result type. */
  readonly result?: [Res];
}

export type AnyOpDef = OpDef<Channel, z.ZodType, unknown>;

/**
 * Defines an operation: `op('orders:create', createOrderRequest).returns<OrderStartedReport>()`.
 * The result has no schema (core builds it); `.returns` names its type.
 */
export function op<const C extends Channel, S extends z.ZodType>(channel: C, request: S) {
  return { returns: <Res>(): OpDef<C, S, Res> => ({ channel, request }) };
}

/** What a client passes: the schema's input; nothing at all for an operation without arguments. */
export type SchemaInput<S extends z.ZodType> = [z.output<S>] extends [void] ? void : z.input<S>;

/** A namespace's operations as `Op` types, from its definitions. */
export type OpsOf<D extends Record<string, AnyOpDef>> = {
  [K in keyof D]: D[K] extends OpDef<Channel, infer S, infer Res>
    ? Op<z.output<S>, Res, SchemaInput<S>>
    : never;
};

/** The channel of each operation, as literal types. */
export function channelsOf<D extends Record<string, AnyOpDef>>(
  defs: D,
): { readonly [K in keyof D]: D[K]['channel'] } {
  return Object.fromEntries(Object.entries(defs).map(([name, def]) => [name, def.channel])) as {
    readonly [K in keyof D]: D[K]['channel'];
  };
}

/** The argument schema of each operation. */
export function schemasOf<D extends Record<string, AnyOpDef>>(
  defs: D,
): { readonly [K in keyof D]: D[K]['request'] } {
  return Object.fromEntries(Object.entries(defs).map(([name, def]) => [name, def.request])) as {
    readonly [K in keyof D]: D[K]['request'];
  };
}

let schemasBuilt = 0;

/**
 * A schema built on first use. Every schema in the contract is one: importing the contract (the
 * CLI's `lineside info`, the preload) must not build several hundred zod objects it will not parse
 * with. The value stands in for the schema itself (a Proxy that builds it when first touched), so
 * its type is the schema's and it nests in other schemas like one.
 */
export function lazySchema<S extends object>(build: () => S): S {
  let schema: S | undefined;
  const real = (): S => {
    if (!schema) {
      schema = build();
      schemasBuilt += 1;
    }
    return schema;
  };
  return new Proxy({} as S, {
    get: (_target, key) => Reflect.get(real(), key, real()),
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      // The stand-in has no own properties; a proxy may not report a fixed one it lacks.
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

/** How many contract schemas have been built so far in this process (for the start-up test). */
export function lazySchemasBuilt(): number {
  return schemasBuilt;
}

/** A page of rows found by keyset pagination. */
export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` to get the next page; null at the end. */
  nextCursor: string | null;
  /** Matching rows, counted up to `totalCap`; `totalIsCapped` means "at least". */
  total: number;
  totalIsCapped: boolean;
}
