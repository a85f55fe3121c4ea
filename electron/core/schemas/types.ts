import type { z } from 'zod';

/** One schema per operation, whose parsed output is the operation's request type. */
export type SchemaMap<Ops extends object> = {
  [K in keyof Ops]: Ops[K] extends { req: infer Req } ? z.ZodType<Req, unknown> : never;
};
