import type { ErrorCode, ErrorInfo } from '../shared/errors';

/**
 * An expected failure: thrown inside core, turned into `{ ok: false, error }` by the dispatcher.
 * The message is for the technician; `detail` carries the technical part.
 */
export class Failure extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly field: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { detail?: string; field?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'Failure';
    this.code = code;
    this.detail = options.detail;
    this.field = options.field;
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message };
    if (this.detail !== undefined) info.detail = this.detail;
    if (this.field !== undefined) info.field = this.field;
    return info;
  }
}

export function isFailure(error: unknown): error is Failure {
  return error instanceof Failure;
}
