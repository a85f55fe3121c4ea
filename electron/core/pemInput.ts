import fs from 'node:fs';
import { Failure } from './failure';

/** PEM given as text, or read from a path (a certificate, key or CA the engineer points at). */
export function pemInput(
  file: string | undefined,
  text: string | undefined,
  what: string,
): string | undefined {
  if (text) return text;
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Failure('not-found', `Cannot read the ${what} ${file}: check the path.`, {
      detail: (error as Error).message,
    });
  }
}
