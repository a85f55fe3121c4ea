/**
 * Product tokens inside stored text (a profile version's JSON5, a written device.json5): at rest the
 * token is replaced by a reference to its sealed copy in the secrets store, `{{secret:<ref>}}`, and
 * put back only when the text is read to render or verify a unit. Only tokens the secrets store
 * knows (by their SHA-256) are sealed, so nothing else in the text changes.
 */
import type Database from 'better-sqlite3';
import { Failure } from '../failure';
import { hashSecret, type Secrets } from './index';

/** A product token: a ULID (26 characters of Crockford base 32). */
const TOKEN = /(?<![0-9A-Za-z])[0-7][0-9A-HJKMNP-TV-Z]{25}(?![0-9A-Za-z])/g;
const MARKER = /\{\{secret:([a-z]+_[0-9a-f]{18})\}\}/g;
export const MARKER_PREFIX = '{{secret:';

export interface TextSealer {
  /** The text with every known product token replaced by its reference. */
  seal(text: string): string;
  /** The text with every reference replaced by its token again. */
  open(text: string): string;
  /** Whether the text holds any reference. */
  isSealed(text: string): boolean;
}

export function createTextSealer(db: Database.Database, secrets: Secrets): TextSealer {
  const refOf = db
    .prepare(
      "SELECT ref FROM secrets WHERE fingerprint = ? AND label LIKE 'product:%' ORDER BY created_at, ref",
    )
    .pluck();
  return {
    seal(text) {
      if (text.includes(MARKER_PREFIX))
        throw new Failure(
          'validation',
          `This text holds "${MARKER_PREFIX}", which Lineside reserves for sealed product tokens: remove it from the profile.`,
        );
      return text.replace(TOKEN, (token) => {
        const ref = refOf.get(hashSecret(token)) as string | undefined;
        return ref ? `${MARKER_PREFIX}${ref}}}` : token;
      });
    },
    open(text) {
      return text.replace(MARKER, (_m, ref: string) => secrets.reveal(ref));
    },
    isSealed: (text) => text.includes(MARKER_PREFIX),
  };
}

/** Buffers of UTF-8 text (unit_files.content) through a sealer. */
export function sealBuffer(sealer: TextSealer, content: Buffer): Buffer {
  const text = content.toString('utf8');
  // Binary content (not valid UTF-8) is left as it is: tokens only appear in text files.
  if (sealer.isSealed(text) || !Buffer.from(text, 'utf8').equals(content)) return content;
  const sealed = sealer.seal(text);
  return sealed === text ? content : Buffer.from(sealed, 'utf8');
}

export function openBuffer(sealer: TextSealer, content: Buffer): Buffer {
  const text = content.toString('utf8');
  return sealer.isSealed(text) ? Buffer.from(sealer.open(text), 'utf8') : content;
}
