import type { AccessOps } from '../../shared/contract';
import type { Access } from '../access';
import type { ServiceImpl } from './types';

export function createAccessService({ access }: { access: Access }): ServiceImpl<AccessOps> {
  return {
    getAccessState: () => access.state(),
    setEngineerPin: (req) => access.setPin(req),
    lockStation: ({ pin }) => access.lock(pin),
    unlockStation: ({ pin }) => access.unlock(pin),
    signInOperator: (req) => access.signIn(req),
    signOutOperator: () => access.signOut(),
  };
}
