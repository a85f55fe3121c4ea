/**
 * What a transport tells an operation about the call: `signal` aborts when the client that made
 * it (a window, a browser page) goes away. Operations that wait on a device, a port or the network
 * pass it on; the CLI and in-process callers give none.
 */
export interface CallContext {
  signal?: AbortSignal;
}

/** A namespace's implementation: each operation takes its request and returns (or resolves to) its result. */
export type ServiceImpl<Ops extends object> = {
  [K in keyof Ops]: Ops[K] extends { req: infer Req; res: infer Res }
    ? (req: Req, call?: CallContext) => Res | Promise<Res>
    : never;
};
