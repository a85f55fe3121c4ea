/** A namespace's implementation: each operation takes its request and returns (or resolves to) its result. */
export type ServiceImpl<Ops extends object> = {
  [K in keyof Ops]: Ops[K] extends { req: infer Req; res: infer Res }
    ? (req: Req) => Res | Promise<Res>
    : never;
};
