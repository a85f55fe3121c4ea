import type { SerializeOps } from '../../shared/contract';
import type { SerializeService } from '../serialize';
import type { ServiceImpl } from './types';

export function createSerializeHandlers(deps: { serialize: SerializeService }): ServiceImpl<SerializeOps> {
  const { serialize } = deps;
  return {
    getSerializeStatus: () => serialize.status(),
    startSerialize: (request) => serialize.start(request),
    stopSerialize: () => serialize.stop(),
  };
}
