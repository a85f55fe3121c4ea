/**
 * What a locked station still does. Deny by default: an operation added later is refused while
 * locked until it is listed here, so a new setup screen can never slip past the lock.
 */
import type { OperationName } from '../../shared/contract';

/** Reading never changes setup. */
const READ = /^(get|list|check|preview|export|inspect)[A-Z]/;

/** The technician's job on a locked station: run units, reprint labels, look at a slot's console. */
const TECHNICIAN: ReadonlySet<OperationName> = new Set<OperationName>([
  'startUnit',
  'retryUnit',
  'resumeUnit',
  'cancelUnit',
  'clearSlot',
  'reprintLabel',
  'cancelJob',
  'openTerminal',
  'writeTerminal',
  'closeTerminal',
  // Releasing a port is always allowed: a page that goes away closes what it opened.
  'closeDeviceStore',
  'claimIdCard',
  'signInOperator',
  'signOutOperator',
  'unlockStation',
]);

/** Work that is recorded against a person: refused on a locked station until someone signs in. */
const NEEDS_OPERATOR: ReadonlySet<OperationName> = new Set<OperationName>([
  'startUnit',
  'retryUnit',
  'resumeUnit',
  'reprintLabel',
]);

export function allowedWhileLocked(operation: OperationName): boolean {
  return TECHNICIAN.has(operation) || READ.test(operation);
}

export function needsOperatorWhileLocked(operation: OperationName): boolean {
  return NEEDS_OPERATOR.has(operation);
}

/** Arguments a locked station refuses even on an allowed operation: a rework is the engineer's. */
export function refusedArgumentWhileLocked(operation: OperationName, request: unknown): string | null {
  if (operation === 'startUnit' && typeof request === 'object' && request !== null && 'rework' in request)
    return 'rework';
  return null;
}
