import { Failure } from '../failure';

/** The line database is behind what this station already saw: restored from an older backup. */
export function restoredFailure(detail: string): Failure {
  return new Failure(
    'line-refused',
    'The line database is older than what this station already wrote to it (restored from an older backup?): stop the line and call the engineer; this station keeps working alone on its leased claim IDs.',
    { detail },
  );
}

export function otherLineFailure(detail: string): Failure {
  return new Failure(
    'line-refused',
    'That URL points at a different line than the one this station belongs to, and this station still has events the old line has not received: reconnect to the old line first, or call the engineer.',
    { detail },
  );
}
