import { MiB, readBoundedText } from './boundedRead';

/** PEM given as text, or read from a path (a certificate, key or CA the engineer points at). */
export function pemInput(
  file: string | undefined,
  text: string | undefined,
  what: string,
): string | undefined {
  if (text) return text;
  if (!file) return undefined;
  return readBoundedText(file, { what, maxBytes: MiB });
}
