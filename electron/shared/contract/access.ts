import type { ChannelMap, Op } from './types';

/**
 * Who may change the station's setup. An engineer locks the active order, its profile, the slots
 * and the printer; from then on the technician runs units and reprints labels, and every setup
 * operation is refused until the engineer's PIN unlocks it. Events record the operator and role.
 */
export type StationRole = 'engineer' | 'technician';

/** What the engineer locked in: shown to the technician so nobody wonders what is running. */
export interface LockedSetupReport {
  orderId: string;
  profileName: string;
  profileHash: string;
  slotCount: number;
  /** Port per slot number, as the station will use it. */
  ports: Record<string, string>;
  /** The label printer, in words ("network 10.0.0.5:9100", "file /tmp/labels", "none"). */
  printer: string;
}

export interface OperatorReport {
  name: string;
  /** How the operator signed in: a scanned badge barcode or a typed name. */
  method: 'badge' | 'name';
  badge: string | null;
  at: string;
}

export interface AccessStateReport {
  locked: boolean;
  /** The role recorded with events right now. */
  role: StationRole;
  /** False until an engineer sets a PIN; the station cannot be locked without one. */
  pinSet: boolean;
  lockedAt: string | null;
  lockedBy: string | null;
  setup: LockedSetupReport | null;
  /** The signed-in operator; null when nobody is signed in. */
  operator: OperatorReport | null;
}

export interface SetEngineerPinRequest {
  /** Required when a PIN is already set. */
  currentPin?: string;
  pin: string;
}

export interface SignInOperatorRequest {
  /** The badge barcode as scanned (its text is the operator's name or ID). */
  badge?: string;
  /** A typed name, for an operator without a badge. */
  name?: string;
}

export interface AccessOps {
  getAccessState: Op<void, AccessStateReport>;
  setEngineerPin: Op<SetEngineerPinRequest, AccessStateReport>;
  lockStation: Op<{ pin: string }, AccessStateReport>;
  unlockStation: Op<{ pin: string }, AccessStateReport>;
  signInOperator: Op<SignInOperatorRequest, AccessStateReport>;
  signOutOperator: Op<void, AccessStateReport>;
}

export const accessChannels = {
  getAccessState: 'access:get-state',
  setEngineerPin: 'access:set-engineer-pin',
  lockStation: 'access:lock',
  unlockStation: 'access:unlock',
  signInOperator: 'access:sign-in',
  signOutOperator: 'access:sign-out',
} as const satisfies ChannelMap<AccessOps>;
