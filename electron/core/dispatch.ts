import type { ZodError } from 'zod';
import { channels, schemaFor, type OperationName, type Result } from '../shared/contract';
import { storeFailure } from './store/errors';
import type { Services } from './services';
import type { CallContext } from './handlers/types';

/** `call.signal` aborts when the client that made the call goes away (see clients.ts). */
export type Dispatch = (operation: string, argument: unknown, call?: CallContext) => Promise<Result<unknown>>;

export interface DispatchOptions {
  /** Where unexpected exceptions go (they are bugs); default stderr. */
  onBug?: (operation: string, error: unknown) => void;
}

/**
 * The one place every transport enters the services: checks the operation exists, validates its
 * argument against the operation's schema, runs it, and turns the outcome into a Result.
 */
export function createDispatch(services: Services, options: DispatchOptions = {}): Dispatch {
  const onBug = options.onBug ?? ((op, error) => console.error(`[lineside] bug in ${op}:`, error));
  return async (operation, argument, call = {}) => {
    if (!isOperation(operation)) {
      return {
        ok: false,
        error: { code: 'unknown-operation', message: `There is no operation "${operation}".` },
      };
    }
    const parsed = schemaFor(operation).safeParse(argument);
    if (!parsed.success) return { ok: false, error: validationError(operation, parsed.error) };
    if (call.signal?.aborted) return { ok: false, error: cancelledInfo };
    try {
      const handler = services[operation] as (req: unknown, call: CallContext) => unknown;
      const value = await handler(parsed.data, call);
      return { ok: true, value };
    } catch (error) {
      const failure = storeFailure(error);
      if (failure) return { ok: false, error: failure.toInfo() };
      onBug(operation, error);
      return {
        ok: false,
        error: {
          code: 'internal',
          message: `Lineside hit an internal error during ${operation}. The station log has the details.`,
          detail: error instanceof Error ? error.message : String(error),
        },
      };
    }
  };
}

const cancelledInfo = {
  code: 'cancelled' as const,
  message: 'The window or page that asked has gone, so the station did not start this.',
};

export function isOperation(name: string): name is OperationName {
  return Object.hasOwn(channels, name);
}

function validationError(operation: string, error: ZodError) {
  const first = error.issues[0];
  const field = first && first.path.length > 0 ? first.path.join('.') : undefined;
  const problems = error.issues.map(
    (i) => `${i.path.length ? i.path.join('.') : '(argument)'}: ${i.message}`,
  );
  return {
    code: 'validation' as const,
    message: field
      ? `${field}: ${first?.message ?? 'invalid'}`
      : `Invalid argument for ${operation}: ${problems[0]}`,
    detail: problems.join('\n'),
    ...(field ? { field } : {}),
  };
}
