import type { Migration } from './types';

/**
 * Every event records the role as well as the operator: 'engineer' (setup unlocked) or
 * 'technician' (station locked). Entries written before this migration keep '' (unknown).
 */
export const m150: Migration = {
  id: 150,
  name: 'event roles',
  sql: `ALTER TABLE events ADD COLUMN role TEXT NOT NULL DEFAULT '';`,
};
