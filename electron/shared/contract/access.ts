import * as z from 'zod';
import { noArgs } from './fields';
import { channelsOf, lazySchema, op, schemasOf, type OpsOf } from './types';

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

const pin = lazySchema(() => z.string().min(4, 'at least 4 characters').max(64, 'at most 64 characters'));
const person = lazySchema(() =>
  z.string().trim().min(1, 'must not be empty').max(80, 'at most 80 characters'),
);

export const setEngineerPinRequest = lazySchema(() =>
  z
    .object({
      /** Required when a PIN is already set. */
      currentPin: z.string().max(64).optional(),
      pin,
    })
    .strict(),
);
export type SetEngineerPinRequest = z.output<typeof setEngineerPinRequest>;

const pinRequest = lazySchema(() => z.object({ pin: z.string().max(64) }).strict());

export const signInOperatorRequest = lazySchema(() =>
  z
    .object({
      /** The badge barcode as scanned (its text is the operator's name or ID). */
      badge: person.optional(),
      /** A typed name, for an operator without a badge. */
      name: person.optional(),
    })
    .strict()
    .refine((r) => (r.badge === undefined) !== (r.name === undefined), {
      message: 'scan a badge or type a name',
      path: ['name'],
    }),
);
export type SignInOperatorRequest = z.output<typeof signInOperatorRequest>;

export const accessOperations = {
  getAccessState: op('access:get-state', noArgs).returns<AccessStateReport>(),
  setEngineerPin: op('access:set-engineer-pin', setEngineerPinRequest).returns<AccessStateReport>(),
  lockStation: op('access:lock', pinRequest).returns<AccessStateReport>(),
  unlockStation: op('access:unlock', pinRequest).returns<AccessStateReport>(),
  signInOperator: op('access:sign-in', signInOperatorRequest).returns<AccessStateReport>(),
  signOutOperator: op('access:sign-out', noArgs).returns<AccessStateReport>(),
};

export type AccessOps = OpsOf<typeof accessOperations>;
export const accessChannels = channelsOf(accessOperations);
export const accessSchemas = schemasOf(accessOperations);
