import type { Migration } from './types';

/**
 * A profile version stays immutable, with one exception: the one-time change that replaces its
 * product token by a reference to the sealed copy (secrets/sealAtRest.ts). Nothing else may change,
 * and a sealed text can never be changed again.
 */
export const m045: Migration = {
  id: 45,
  name: 'profile versions may be sealed once',
  sql: `
    DROP TRIGGER profile_versions_no_update;
    CREATE TRIGGER profile_versions_no_update BEFORE UPDATE ON profile_versions
      WHEN NOT (NEW.hash = OLD.hash AND NEW.name = OLD.name AND NEW.created_at = OLD.created_at
                AND instr(OLD.text, '{{secret:') = 0 AND instr(NEW.text, '{{secret:') > 0)
      BEGIN SELECT RAISE(ABORT, 'a profile version is immutable'); END;
  `,
};
