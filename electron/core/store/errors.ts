/**
 * What SQLite's own errors mean to a technician. Several Lineside processes may share one station
 * database (a CLI next to the window, two scripted stations): a lock held too long, a record another
 * process made at the same moment, a full disk are expected conditions, not bugs.
 */
import { Failure, isFailure } from '../failure';

export function storeFailure(error: unknown): Failure | null {
  if (isFailure(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  const detail = `${code}: ${error instanceof Error ? error.message : String(error)}`;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new Failure(
      'busy',
      'The station database is busy: another Lineside process is writing to it. Try again in a moment.',
      { detail, cause: error },
    );
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE')
    return new Failure(
      'conflict',
      'Another Lineside process made the same record at the same moment: run the command again.',
      { detail, cause: error },
    );
  if (code === 'SQLITE_FULL')
    return new Failure(
      'io',
      'The disk holding the station database is full: free some space and try again.',
      {
        detail,
        cause: error,
      },
    );
  if (
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_PERM')
  )
    return new Failure(
      'store-unavailable',
      "The station database cannot be written: check the data directory's owner and permissions.",
      { detail, cause: error },
    );
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return new Failure(
      'store-unavailable',
      'The station database is damaged: restore it from a backup, or start with another data directory.',
      { detail, cause: error },
    );
  return null;
}
