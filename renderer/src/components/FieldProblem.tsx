import type { FieldProblems } from '../lib/validate';

/** The schema's message for one field, shown beside it (see lib/validate.ts). */
export function FieldProblem({
  problems,
  field,
  idPrefix,
}: {
  problems: FieldProblems;
  field: string;
  idPrefix: string;
}) {
  const message = problems[field];
  if (!message) return null;
  return (
    <span className="field-problem" id={`${idPrefix}-${field.replaceAll('.', '-')}-problem`} role="alert">
      {message}
    </span>
  );
}

/**
 * Problems of fields the form shows no note for (a serial deep in a list, the request as a whole):
 * a form never refuses to send without saying why.
 */
export function OtherProblems({ problems, shown }: { problems: FieldProblems; shown: readonly string[] }) {
  const rest = Object.entries(problems).filter(([field]) => !shown.includes(field));
  if (rest.length === 0) return null;
  return (
    <ul className="field-problem" role="alert">
      {rest.map(([field, message]) => (
        <li key={field}>{field ? `${field}: ${message}` : message}</li>
      ))}
    </ul>
  );
}
