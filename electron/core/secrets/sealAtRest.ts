/**
 * Seals product tokens that a database from an earlier build holds in plain text (profile versions
 * and written device files), once: new rows are sealed as they are written (orders, station
 * journal). The freed pages are zeroed (secure_delete) and the WAL truncated, so the plain copies do
 * not linger in the files.
 */
import JSON5 from 'json5';
import type { Secrets } from './index';
import type { Store } from '../store';
import { sealBuffer, type TextSealer } from './sealedText';

const DONE = 'secrets.tokens-sealed-at-rest';

export function sealStoredTokens(store: Store, secrets: Secrets, sealer: TextSealer): void {
  if (store.settings.get(DONE, false)) return;
  const { db } = store;
  const versions = db.prepare('SELECT hash, name, text FROM profile_versions').all() as Array<{
    hash: string;
    name: string;
    text: string;
  }>;
  let changed = 0;
  store.transaction(() => {
    for (const v of versions) {
      if (sealer.isSealed(v.text)) continue;
      let product: unknown;
      try {
        product = (JSON5.parse(v.text) as { product?: unknown }).product;
      } catch {
        continue; // not a profile Lineside could have used: nothing to seal
      }
      if (typeof product !== 'string' || product.trim() === '') continue;
      secrets.put(`product:${v.name}`, product.trim());
      const sealed = sealer.seal(v.text);
      if (sealed !== v.text) {
        db.prepare('UPDATE profile_versions SET text = ? WHERE hash = ?').run(sealed, v.hash);
        changed++;
      }
    }
    const files = db
      .prepare('SELECT rowid, content FROM unit_files WHERE content IS NOT NULL')
      .all() as Array<{ rowid: number; content: Buffer }>;
    const update = db.prepare('UPDATE unit_files SET content = ? WHERE rowid = ?');
    for (const f of files) {
      const sealed = sealBuffer(sealer, f.content);
      if (sealed !== f.content) {
        update.run(sealed, f.rowid);
        changed++;
      }
    }
    store.settings.set(DONE, true);
  });
  if (changed > 0) db.pragma('wal_checkpoint(TRUNCATE)');
}
