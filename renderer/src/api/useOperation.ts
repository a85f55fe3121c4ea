import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo, Result } from '../../../electron/shared/contract';

export interface OperationState<T> {
  value: T | null;
  error: ErrorInfo | null;
  loading: boolean;
  reload: () => void;
}

/** Runs `call` when its dependencies change and keeps the latest answer; stale answers are dropped. */
export function useOperation<T>(call: () => Promise<Result<T>>, deps: unknown[]): OperationState<T> {
  const [state, setState] = useState<{ value: T | null; error: ErrorInfo | null; loading: boolean }>({
    value: null,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    void call().then((result) => {
      if (mine !== seq.current) return;
      setState(
        result.ok
          ? { value: result.value, error: null, loading: false }
          : { value: null, error: result.error, loading: false },
      );
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
