/**
 * Forms check what they send with the operation's own argument schema (electron/shared/contract),
 * the one dispatch applies: the technician reads the schema's words next to the field before the
 * request leaves, and the station still checks it again on arrival.
 */
import type { z } from 'zod';

/** The first problem per field, by the field's dotted path ('' for the request as a whole). */
export type FieldProblems = Readonly<Record<string, string>>;

export type CheckedRequest<T> = { ok: true; request: T } | { ok: false; problems: FieldProblems };

export function checkRequest<S extends z.ZodType>(
  schema: S,
  request: z.input<S>,
): CheckedRequest<z.input<S>> {
  const parsed = schema.safeParse(request);
  if (parsed.success) return { ok: true, request };
  const problems: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.map(String).join('.');
    problems[field] ??= issue.message;
  }
  return { ok: false, problems };
}

/** Props that tie an input to its problem: `aria-invalid`, and `aria-describedby` naming the note. */
export function fieldAria(problems: FieldProblems, field: string, idPrefix: string) {
  return problems[field]
    ? {
        'aria-invalid': true as const,
        'aria-describedby': `${idPrefix}-${field.replaceAll('.', '-')}-problem`,
      }
    : {};
}
