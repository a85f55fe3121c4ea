import type { Migration } from './types';

/**
 * Issue 16: the station's per-unit queries must not grow with the order.
 *
 * - `units_order_state`: an order's units by state in claim-ID order (it replaces `units_order`
 *   on (order_id, state)), so "the lowest reserved ID" is the first entry of an index range, not a
 *   sort of every match, and a page of one state reads only its rows.
 * - `order_unit_counts`: each order's units per state, kept current instead of recounted for every
 *   summary. A state change is counted by the trigger below (one row update per change); inserts
 *   are counted by the code that inserts (reserve.ts counts a whole batch at once, units.insertMany
 *   its rows), because a per-row insert trigger would slow the reservation of a million IDs.
 */
export const m130: Migration = {
  id: 130,
  name: 'claim-next index, maintained order counts',
  sql: `
    DROP INDEX units_order;
    CREATE INDEX units_order_state ON units(order_id, state, claim_id) WHERE order_id IS NOT NULL;

    CREATE TABLE order_unit_counts (
      order_id TEXT NOT NULL,
      state    TEXT NOT NULL,
      n        INTEGER NOT NULL,
      PRIMARY KEY (order_id, state)
    ) WITHOUT ROWID;
    INSERT INTO order_unit_counts (order_id, state, n)
      SELECT order_id, state, count(*) FROM units WHERE order_id IS NOT NULL GROUP BY order_id, state;

    CREATE TRIGGER units_count_state AFTER UPDATE OF state ON units
      WHEN NEW.order_id IS NOT NULL AND OLD.state IS NOT NEW.state
    BEGIN
      UPDATE order_unit_counts SET n = n - 1 WHERE order_id = OLD.order_id AND state = OLD.state;
      INSERT INTO order_unit_counts (order_id, state, n) VALUES (NEW.order_id, NEW.state, 1)
        ON CONFLICT (order_id, state) DO UPDATE SET n = n + 1;
    END;
  `,
};
