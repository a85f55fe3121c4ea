import type { ErrorInfo, StationStep } from '../../shared/contract';
import { isFailure } from '../failure';

const doing: Record<StationStep, string> = {
  connect: 'connecting',
  claim: 'taking its claim ID',
  write: 'writing its files',
  verify: 'reading its files back',
  commit: 'saving its files',
  after: 'finishing',
};

/**
 * Turns what went wrong into the card's words: the reason in one sentence and the next action,
 * with the transport's own message kept as technical detail.
 */
export function describeFailure(
  slot: number,
  step: StationStep,
  error: unknown,
): { failure: ErrorInfo; nextAction: string } {
  const info: ErrorInfo = isFailure(error)
    ? error.toInfo()
    : { code: 'internal', message: error instanceof Error ? error.message : String(error) };
  const technical = [info.message, info.detail].filter(Boolean).join('\n');
  const retry = 'Check the cable and press Retry.';
  let reason: string;
  let nextAction: string;
  switch (info.code) {
    case 'device-timeout':
      reason = `Slot ${slot}: no answer from the unit.`;
      nextAction = retry;
      break;
    case 'device-disconnected':
      reason = `Slot ${slot}: the unit disconnected while ${doing[step]}.`;
      nextAction = retry;
      break;
    case 'port-unavailable':
      reason = `Slot ${slot}: ${info.message}`;
      nextAction = "Check the fixture's USB cable and press Retry.";
      break;
    case 'verify-mismatch':
      reason = `Slot ${slot}: the unit's files did not read back as written.`;
      nextAction = 'Press Retry to write them again.';
      break;
    case 'device-refused':
    case 'protocol':
      reason = `Slot ${slot}: the unit refused the files while ${doing[step]}.`;
      nextAction = 'Press Retry; if it fails again, set the unit aside for the engineer.';
      break;
    case 'cancelled':
      reason = `Slot ${slot}: cancelled while ${doing[step]}.`;
      nextAction = 'Press Retry to run this unit again.';
      break;
    case 'conflict':
      // A unit whose identity does not add up: never retried, never written.
      reason = `Slot ${slot}: ${info.message.replace(/ ?Set this unit aside and call the engineer\.$/, '')}`;
      nextAction = 'Set this unit aside and call the engineer.';
      break;
    case 'busy':
      reason = `Slot ${slot}: ${info.message}`;
      nextAction = 'Leave the unit where it is being worked; press Clear here.';
      break;
    case 'internal':
      reason = `Slot ${slot}: Lineside hit an internal error while ${doing[step]}.`;
      nextAction = 'Press Retry; if it happens again, call the engineer.';
      break;
    default:
      reason = `Slot ${slot}: ${info.message}`;
      nextAction = 'Press Retry, or set the unit aside and call the engineer.';
  }
  return { failure: { code: info.code, message: reason, detail: `${step}: ${technical}` }, nextAction };
}
