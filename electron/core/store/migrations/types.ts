export interface Migration {
  /** Unique, increasing. Issues own ranges so parallel work never collides: see index.ts. */
  id: number;
  name: string;
  sql: string;
}
