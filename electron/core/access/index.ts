/**
 * Locked station mode and operator sign-in (electron/shared/contract/access.ts).
 *
 * The lock, the PIN hash and the signed-in operator live in the settings table, so every process
 * on the station database (window, bridge, CLI) sees the same lock. `guardServices` wraps the
 * services: while locked, an operation outside `policy.ts` is refused with `station-locked`.
 */
import type {
  AccessStateReport,
  LockedSetupReport,
  OperationName,
  OperatorReport,
  SetEngineerPinRequest,
  SignInOperatorRequest,
  StationRole,
} from '../../shared/contract';
import type { Clock, RandomBytes } from '../clock';
import { Failure } from '../failure';
import { readStationSettings } from '../settings';
import type { Store } from '../store';
import { hashPin, verifyPin, type PinHash } from './pin';
import { allowedWhileLocked, needsOperatorWhileLocked, refusedArgumentWhileLocked } from './policy';

const PIN_KEY = 'access.pin';
const LOCK_KEY = 'access.lock';
const OPERATOR_KEY = 'access.operator';
const STATION_KEY = 'station';
/** The operator name that means "nobody signed in" (the station settings' default). */
export const NO_OPERATOR = 'unassigned';

const MAX_WRONG_PINS = 5;
const WRONG_PIN_PAUSE_MS = 60_000;

interface LockRecord {
  lockedAt: string;
  lockedBy: string;
  setup: LockedSetupReport;
}

/**
 * The role recorded with events: read from the store alone, so events appended while the services
 * are still being built (the outbox recovering after a crash) are stamped too.
 */
export function roleOf(store: Store): StationRole {
  return store.settings.get<LockRecord | null>(LOCK_KEY, null) ? 'technician' : 'engineer';
}

export interface Access {
  state(): AccessStateReport;
  isLocked(): boolean;
  role(): StationRole;
  setPin(request: SetEngineerPinRequest): Promise<AccessStateReport>;
  lock(pin: string): Promise<AccessStateReport>;
  unlock(pin: string): Promise<AccessStateReport>;
  signIn(request: SignInOperatorRequest): AccessStateReport;
  signOut(): AccessStateReport;
}

export interface AccessDeps {
  store: Store;
  clock: Clock;
  randomBytes: RandomBytes;
  /** What is being locked in: the active order and its profile, slots and printer. Throws a Failure. */
  snapshot: () => Promise<LockedSetupReport>;
  onChanged?: (state: AccessStateReport) => void;
  /** For tests: a cheaper scrypt cost. */
  pinCost?: { N: number; r: number; p: number };
}

export function createAccess(deps: AccessDeps): Access {
  const { store, clock } = deps;
  let wrongPins = 0;
  let pausedUntil = 0;

  const lockRecord = () => store.settings.get<LockRecord | null>(LOCK_KEY, null);
  const pinHash = () => store.settings.get<PinHash | null>(PIN_KEY, null);
  const operatorName = () => readStationSettings(store).operator;

  function setOperatorName(name: string) {
    store.settings.set(STATION_KEY, { ...readStationSettings(store), operator: name });
  }

  function operator(): OperatorReport | null {
    const name = operatorName();
    if (name === NO_OPERATOR) return null;
    const recorded = store.settings.get<OperatorReport | null>(OPERATOR_KEY, null);
    return recorded && recorded.name === name ? recorded : { name, method: 'name', badge: null, at: '' };
  }

  function state(): AccessStateReport {
    const lock = lockRecord();
    return {
      locked: lock !== null,
      role: lock ? 'technician' : 'engineer',
      pinSet: pinHash() !== null,
      lockedAt: lock?.lockedAt ?? null,
      lockedBy: lock?.lockedBy ?? null,
      setup: lock?.setup ?? null,
      operator: operator(),
    };
  }

  function changed(): AccessStateReport {
    const next = state();
    deps.onChanged?.(next);
    return next;
  }

  async function checkPin(pin: string, action: string): Promise<void> {
    const stored = pinHash();
    if (!stored)
      throw new Failure(
        'conflict',
        'No engineer PIN is set: an engineer sets one in Settings → Station lock.',
      );
    const now = clock.now().getTime();
    if (now < pausedUntil)
      throw new Failure(
        'busy',
        `Too many wrong PINs: wait ${Math.ceil((pausedUntil - now) / 1000)} s, then try again.`,
      );
    if (await verifyPin(pin, stored)) {
      wrongPins = 0;
      return;
    }
    wrongPins += 1;
    if (wrongPins >= MAX_WRONG_PINS) {
      wrongPins = 0;
      pausedUntil = now + WRONG_PIN_PAUSE_MS;
    }
    store.events.append({ kind: 'access.pin-refused', data: { action } });
    throw new Failure('bad-passphrase', 'Wrong PIN: ask the engineer to enter theirs.', { field: 'pin' });
  }

  return {
    state,
    isLocked: () => lockRecord() !== null,
    role: () => roleOf(store),
    async setPin({ currentPin, pin }) {
      if (pinHash()) {
        if (currentPin === undefined)
          throw new Failure('validation', 'Enter the current PIN to change it.', { field: 'currentPin' });
        await checkPin(currentPin, 'change PIN');
      }
      const hashed = await hashPin(pin, deps.randomBytes, deps.pinCost);
      store.transaction(() => {
        store.settings.set(PIN_KEY, hashed);
        store.events.append({ kind: 'access.pin-set', data: { algorithm: hashed.algorithm } });
      });
      return changed();
    },
    async lock(pin) {
      if (lockRecord()) return state();
      await checkPin(pin, 'lock');
      const setup = await deps.snapshot();
      const lockedBy = operatorName();
      store.transaction(() => {
        store.events.append({ kind: 'access.locked', orderId: setup.orderId, data: { setup } });
        store.settings.set(LOCK_KEY, { lockedAt: clock.now().toISOString(), lockedBy, setup });
        // The engineer who locked is not the technician who runs the shift: they sign in next.
        setOperatorName(NO_OPERATOR);
        store.settings.set(OPERATOR_KEY, null);
      });
      return changed();
    },
    async unlock(pin) {
      const lock = lockRecord();
      if (!lock) return state();
      await checkPin(pin, 'unlock');
      store.transaction(() => {
        store.settings.set(LOCK_KEY, null);
        store.events.append({
          kind: 'access.unlocked',
          orderId: lock.setup.orderId,
          data: { lockedAt: lock.lockedAt },
        });
      });
      return changed();
    },
    signIn({ badge, name }) {
      const text = (badge ?? name ?? '').trim();
      if (!text || (badge !== undefined && name !== undefined))
        throw new Failure('validation', 'Scan your badge or type your name.', { field: 'name' });
      const entry: OperatorReport = {
        name: text,
        method: badge !== undefined ? 'badge' : 'name',
        badge: badge !== undefined ? text : null,
        at: clock.now().toISOString(),
      };
      store.transaction(() => {
        const before = operatorName();
        setOperatorName(entry.name);
        store.settings.set(OPERATOR_KEY, entry);
        store.events.append({
          kind: 'operator.signed-in',
          data: {
            method: entry.method,
            badge: entry.badge,
            replaced: before === NO_OPERATOR ? null : before,
          },
        });
      });
      return changed();
    },
    signOut() {
      if (operatorName() === NO_OPERATOR) return state();
      store.transaction(() => {
        store.events.append({ kind: 'operator.signed-out' });
        setOperatorName(NO_OPERATOR);
        store.settings.set(OPERATOR_KEY, null);
      });
      return changed();
    },
  };
}

/** The services as every transport sees them: setup refused while the station is locked. */
export function guardServices<S extends Record<string, unknown>>(services: S, access: Access): S {
  const guarded: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(services)) {
    if (typeof fn !== 'function') {
      guarded[name] = fn;
      continue;
    }
    const operation = name as OperationName;
    guarded[name] = (request: unknown, call?: unknown) => {
      if (access.isLocked()) {
        if (!allowedWhileLocked(operation))
          throw new Failure(
            'station-locked',
            'The station is locked for production: an engineer unlocks it with their PIN to change the setup.',
          );
        if (refusedArgumentWhileLocked(operation, request))
          throw new Failure(
            'station-locked',
            'Reworking a unit with its claim ID is for an engineer: unlock the station with the PIN first.',
            { field: 'rework' },
          );
        if (needsOperatorWhileLocked(operation) && access.state().operator === null)
          throw new Failure('unauthorized', 'Sign in first: scan your badge or type your name.', {
            field: 'operator',
          });
      }
      return (fn as (req: unknown, call?: unknown) => unknown)(request, call);
    };
  }
  return guarded as S;
}

export { allowedWhileLocked, needsOperatorWhileLocked } from './policy';
export { hashPin, verifyPin, type PinHash } from './pin';
