import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import type {
  ProductTokenSummary,
  ProfileDiffReport,
  ProfileDraftCheckReport,
  ProfileDraftReport,
  SavedProfileReport,
} from '../../shared/contract';
import { SEALED_TOKEN_PREFIX } from '../../shared/contract';
import type { Clock } from '../clock';
import { maskTokensIn, renderDeviceJson5 } from '../device-config/render';
import { Failure } from '../failure';
import { createIdGenerator, entropyBits } from '../ids';
import type { Secrets, SecretSummary } from '../secrets';
import { createTextSealer } from '../secrets/sealedText';
import type { Store } from '../store';
import { diffLines } from './diff';
import type { ProfileLibrary } from './library';
import { locateJson5 } from './locate';
import { ULID, idPolicySchema } from './schema';
import { checkProfileText, hashProfileText, type ProfileProblem } from './validate';

/**
 * Profiles edited in the app (see electron/shared/contract/profileEditor.ts): the edited text names
 * a sealed product token instead of holding it; checking, previewing and saving put the token back
 * in core only. Files go to the data directory's `profiles/` with mode 0600 (they hold the token).
 */
export interface ProfileDrafts {
  open(name: string): ProfileDraftReport;
  check(text: string, name?: string): ProfileDraftCheckReport;
  save(name: string, text: string): SavedProfileReport;
}

export interface ProfileDraftsDeps {
  store: Store;
  library: ProfileLibrary;
  secrets: Secrets;
  clock: Clock;
  stationDir: string;
  entropyFloor: () => number;
}

export const PROFILE_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
const DRAFT_FILE = 'draft.json5';

interface Literal {
  from: number;
  to: number;
  value: string;
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

/** The top-level `product` string literal: where it is and what it says. */
export function productLiteral(text: string): Literal | null {
  let from = -1;
  try {
    JSON5.parse(text);
    const located = locateJson5(text).get(JSON.stringify(['product']));
    if (located) from = offsetOf(text, located.value.line, located.value.column);
  } catch {
    const m = /(^|[\s{,])["']?product["']?\s*:\s*(?=['"])/m.exec(text);
    if (m) from = m.index + m[0].length;
  }
  const quote = text[from];
  if (from < 0 || (quote !== '"' && quote !== "'")) return null;
  let i = from + 1;
  while (i < text.length && text[i] !== quote && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
  if (text[i] !== quote) return null;
  return { from, to: i + 1, value: text.slice(from + 1, i) };
}

const toToken = (s: SecretSummary): ProductTokenSummary => ({
  ref: s.ref,
  label: s.label.replace(/^product:/, ''),
  fingerprint: s.fingerprint,
  createdAt: s.createdAt,
});

/** Written whole or not at all, readable only by this user: a profile holds its product token. */
function writeSecretFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text, { mode: 0o600 });
  fs.renameSync(temp, file);
}

/** Sample claim IDs that do not jump at every keystroke: drawn from a fixed byte stream. */
function steadyBytes(n: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; out.length * 32 < n; i++)
    out.push(crypto.createHash('sha256').update(`lineside-sample-${i}`).digest());
  return Buffer.concat(out).subarray(0, n);
}

export function createProfileDrafts(deps: ProfileDraftsDeps): ProfileDrafts {
  const { store, library, secrets } = deps;
  const db = store.db;
  // A version at rest holds its token as a sealed reference: open it, so the diff compares tokens.
  const sealer = createTextSealer(db, secrets);

  function ordersUsing(name: string): { count: number; latestHash: string | null } {
    const row = db
      .prepare(
        'SELECT count(*) AS n, (SELECT profile_hash FROM orders WHERE profile_name = ? ORDER BY created_at DESC, id DESC LIMIT 1) AS h FROM orders WHERE profile_name = ?',
      )
      .get(name, name) as { n: number; h: string | null };
    return { count: row.n, latestHash: row.h };
  }

  function ordersOf(name: string, hash: string): number {
    return db
      .prepare('SELECT count(*) FROM orders WHERE profile_name = ? OR profile_hash = ?')
      .pluck()
      .get(name, hash) as number;
  }

  /** The version a draft saved under `name` is compared with: the newest order's, else the file. */
  function versionInUse(name: string): { hash: string; text: string; why: 'order' | 'file' } | null {
    const { latestHash } = ordersUsing(name);
    if (latestHash) {
      const text = db.prepare('SELECT text FROM profile_versions WHERE hash = ?').pluck().get(latestHash) as
        string | undefined;
      if (text !== undefined) return { hash: latestHash, text: sealer.open(text), why: 'order' };
    }
    const onDisk = library.list().find((p) => p.name === name && !p.shadowed);
    return onDisk ? { hash: onDisk.hash, text: onDisk.text, why: 'file' } : null;
  }

  function diffAgainst(name: string | undefined, realText: string, token: string | null): ProfileDiffReport {
    const base = name ? versionInUse(name) : null;
    if (!base) return { against: null, lines: [], changed: true };
    const lines = diffLines(maskTokensIn(base.text), maskTokensIn(realText, token));
    return {
      against: { name: name!, hash: base.hash, why: base.why },
      lines,
      changed: lines.some((l) => l.op !== ' '),
    };
  }

  /** The draft with its sealed token put back, and the problems only the draft can have. */
  function resolve(text: string) {
    const literal = productLiteral(text);
    const problems: ProfileProblem[] = [];
    let real = text;
    let token: string | null = null;
    let product: ProductTokenSummary | null = null;
    const at = (offset: number) => {
      const before = text.slice(0, offset).split('\n');
      return { line: before.length, column: before.at(-1)!.length + 1 };
    };
    if (literal) {
      const v = literal.value;
      if (v.startsWith(SEALED_TOKEN_PREFIX)) {
        const summary = secrets.summary(v.slice(SEALED_TOKEN_PREFIX.length));
        if (!summary)
          problems.push({
            file: DRAFT_FILE,
            ...at(literal.from),
            path: 'product',
            message: 'The product token named here is not stored on this station.',
            hint: 'choose a stored token, or store one, under Product token',
          });
        else {
          token = secrets.reveal(summary.ref);
          product = toToken(summary);
          real = `${text.slice(0, literal.from)}'${token}'${text.slice(literal.to)}`;
        }
      } else if (ULID.test(v.trim()) || v.includes('•')) {
        problems.push({
          file: DRAFT_FILE,
          ...at(literal.from),
          path: 'product',
          message: 'A product token is never typed into the profile text.',
          hint: 'store it under Product token and choose it there; the text then names the sealed token',
        });
      }
    }
    const delta = literal && token ? literal.to - literal.from - (token.length + 2) : 0;
    const productLine = literal ? at(literal.from).line : 0;
    const endColumn = literal ? at(literal.to).column : 0;
    return { literal, real, token, product, problems, delta, productLine, endColumn };
  }

  function check(text: string, name?: string): ProfileDraftCheckReport {
    const r = resolve(text);
    const floor = deps.entropyFloor();
    const checked = checkProfileText(r.real, { file: DRAFT_FILE, entropyFloor: floor });
    // Positions after the token on its own line move by the length difference of the two values.
    const problems = [
      ...r.problems,
      ...checked.problems
        .filter((p) => !(r.problems.length && p.path === 'product'))
        .map((p) =>
          p.line === r.productLine && p.column > r.endColumn - r.delta
            ? { ...p, column: p.column + r.delta }
            : p,
        ),
    ].sort((a, b) => a.line - b.line || a.column - b.column);
    let ids: ProfileDraftCheckReport['ids'] = null;
    try {
      const parsed = idPolicySchema.safeParse((JSON5.parse(r.real) as { ids?: unknown }).ids ?? {});
      if (parsed.success) ids = { ...parsed.data, entropyBits: entropyBits(parsed.data) };
    } catch {
      ids = null;
    }
    const valid = problems.length === 0 && checked.profile !== null;
    let preview: string | null = null;
    if (valid) {
      const profile = checked.profile!;
      const sample = {
        claimId: createIdGenerator(profile.ids, steadyBytes).next(),
        serial: 'SN000001',
        orderId: 'WO-SAMPLE',
        created: deps.clock.now().toISOString(),
      };
      preview = maskTokensIn(
        renderDeviceJson5({ name: name || 'draft', hash: checked.hash, profile }, sample),
        r.token,
      );
    }
    return {
      valid,
      problems,
      ids,
      entropyFloor: floor,
      product: r.product,
      productRange: r.literal ? { from: r.literal.from, to: r.literal.to } : null,
      preview,
      diff: diffAgainst(name, r.real, r.token),
    };
  }

  return {
    open(name) {
      const loaded = library.get(name);
      const literal = productLiteral(loaded.text);
      let text = loaded.text;
      let product: ProductTokenSummary | null = null;
      if (literal && ULID.test(literal.value)) {
        // The token moves into the sealed store the first time its profile is opened for editing.
        const summary = secrets.put(`product:${loaded.profile?.name ?? name}`, literal.value);
        product = toToken(summary);
        text = `${text.slice(0, literal.from)}'${SEALED_TOKEN_PREFIX}${summary.ref}'${text.slice(literal.to)}`;
      }
      return {
        name: loaded.name,
        source: loaded.source,
        text,
        hash: loaded.hash,
        usedByOrders: ordersUsing(loaded.name).count,
        product,
      };
    },
    check,
    save(name, text) {
      if (!PROFILE_NAME.test(name))
        throw new Failure(
          'validation',
          `"${name}" cannot be a profile name: use letters, digits, dot, dash or underscore (64 at most).`,
          { field: 'name' },
        );
      const result = check(text, name);
      if (!result.valid) {
        const first = result.problems[0];
        throw new Failure(
          'validation',
          first
            ? `The profile has ${result.problems.length} problem(s); the first, at line ${first.line}: ${first.message}`
            : 'The profile is not valid yet.',
          {
            field: 'text',
            detail: result.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('\n'),
          },
        );
      }
      const real = resolve(text).real;
      const hash = hashProfileText(real);
      const existing = library.list().filter((p) => p.name === name);
      if (existing.some((p) => p.source === 'factory'))
        throw new Failure(
          'conflict',
          `"${name}" is a profile shipped with Lineside: save your version under a new name.`,
          { field: 'name' },
        );
      const current = existing.find((p) => p.source === 'station') ?? null;
      if (current && current.hash === hash)
        return {
          name,
          file: current.file,
          hash,
          unchanged: true,
          keptInPlace: null,
          diff: result.diff,
        };
      const used = current ? ordersOf(name, current.hash) : 0;
      // A profile orders were made from stays as it is: the new version gets its hash in its name.
      const savedName =
        current && used > 0 ? `${name.replace(/-[0-9a-f]{8}$/, '')}-${hash.slice(0, 8)}` : name;
      const file = path.join(deps.stationDir, `${savedName}.json5`);
      if (savedName !== name && fs.existsSync(file)) {
        const same = hashProfileText(fs.readFileSync(file, 'utf8')) === hash;
        if (!same)
          throw new Failure('conflict', `A different ${savedName}.json5 is already in ${deps.stationDir}.`);
      } else writeSecretFile(file, real);
      // Every saved version stays readable by its hash (the library lists only the top folder).
      const kept = path.join(deps.stationDir, 'versions', `${savedName}@${hash.slice(0, 12)}.json5`);
      if (!fs.existsSync(kept)) writeSecretFile(kept, real);
      store.events.append({
        kind: 'profile.saved',
        data: {
          name: savedName,
          hash,
          file,
          kept,
          versionOf: savedName !== name ? name : null,
          previousHash: current?.hash ?? null,
        },
      });
      return {
        name: savedName,
        file,
        hash,
        unchanged: false,
        keptInPlace: current && savedName !== name ? { name, hash: current.hash, orders: used } : null,
        diff: result.diff,
      };
    },
  };
}
