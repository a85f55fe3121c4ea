import type { SerializeOps, StartSerializeRequest } from '../../shared/contract';
import type { SerializeService } from '../serialization-service';
import type { ServiceImpl } from './types';

export interface SerializeTarget {
  orderId: string;
  productRef: string;
}

export function createSerializeHandlers(deps: {
  serialize: SerializeService;
  /** Fills in the active order and its profile's product token when the request leaves them out. */
  target: (request: Pick<StartSerializeRequest, 'orderId' | 'productRef'>) => SerializeTarget;
}): ServiceImpl<SerializeOps> {
  const { serialize } = deps;
  return {
    getSerializeStatus: () => serialize.status(),
    startSerialize: (request) => serialize.start({ ...request, ...deps.target(request) }),
    stopSerialize: () => serialize.stop(),
  };
}
