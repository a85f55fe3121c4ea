import type { ErrorInfo } from '../../../electron/shared/contract';

/** What happened and what to do, with the technical detail one click away. */
export function ErrorNote({ error }: { error: ErrorInfo }) {
  return (
    <div className="error-note" role="alert">
      <p>{error.message}</p>
      {error.detail ? (
        <details>
          <summary>Technical detail</summary>
          <pre>{error.detail}</pre>
        </details>
      ) : null}
    </div>
  );
}
