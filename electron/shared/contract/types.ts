/** Building blocks for the per-namespace contract files. Imports nothing. */

/** One operation: its single request argument and its result value. */
export interface Op<Req, Res> {
  req: Req;
  res: Res;
}

/** Channel names: `namespace:kebab-action` for operations, `namespace:on-thing` for events. */
export type Channel = `${string}:${string}`;

export type ChannelMap<Ops> = { readonly [K in keyof Ops]: Channel };

/** A page of rows found by keyset pagination. */
export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` to get the next page; null at the end. */
  nextCursor: string | null;
  /** Matching rows, counted up to `totalCap`; `totalIsCapped` means "at least". */
  total: number;
  totalIsCapped: boolean;
}
