import type { ErrorCode } from '../shared/errors';

/** Exit codes scripts can rely on (also listed in the README). */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  validation: 3,
  notFound: 4,
  conflict: 5,
  unavailable: 6,
  cancelled: 7,
  internal: 70,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'validation':
    case 'unknown-operation':
      return EXIT.validation;
    case 'not-found':
      return EXIT.notFound;
    case 'conflict':
    case 'store-too-new':
    case 'order-exhausted':
    case 'ids-exhausted':
    case 'line-refused':
      return EXIT.conflict;
    case 'unavailable':
    case 'store-unavailable':
    case 'busy':
    case 'timeout':
    case 'io':
    case 'port-unavailable':
    case 'device-timeout':
    case 'device-disconnected':
    case 'line-unavailable':
    case 'line-block-empty':
      return EXIT.unavailable;
    case 'cancelled':
      return EXIT.cancelled;
    case 'internal':
      return EXIT.internal;
    default:
      return EXIT.failed;
  }
}
