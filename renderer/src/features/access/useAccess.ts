import { useCallback, useEffect, useState } from 'react';
import type { AccessStateReport } from '../../../../electron/shared/contract';
import { api } from '../../api';

/** The station's lock and signed-in operator, kept current by `accessChanged` events. */
export function useAccess(): { access: AccessStateReport | null; reload: () => void } {
  const [access, setAccess] = useState<AccessStateReport | null>(null);
  const reload = useCallback(() => {
    void api.access.getState(undefined).then((r) => r.ok && setAccess(r.value));
  }, []);
  useEffect(() => {
    const off = api.on('accessChanged', setAccess);
    reload();
    return off;
  }, [reload]);
  return { access, reload };
}
