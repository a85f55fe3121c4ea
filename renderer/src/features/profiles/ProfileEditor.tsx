import { useEffect, useRef, useState } from 'react';
import type {
  ErrorInfo,
  ProductTokenSummary,
  ProfileDiffReport,
  ProfileDraftCheckReport,
  ProfileDraftReport,
  SavedProfileReport,
} from '../../../../electron/shared/contract';
import { SEALED_TOKEN_PREFIX } from '../../../../electron/shared/contract/profileEditor';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { Json5Editor } from './Json5Editor';

const CHECK_DELAY_MS = 200;

/**
 * Edit a profile in the app: a new one from a shipped one (`mode: 'new'`) or a station profile.
 * Core checks the text as it changes; the product token is chosen from the sealed store.
 */
export function ProfileEditor({
  from,
  mode,
  onSaved,
  onClose,
}: {
  from: string;
  mode: 'new' | 'edit';
  onSaved: (saved: SavedProfileReport) => void;
  onClose: () => void;
}) {
  const opened = useOperation(() => api.profiles.openDraft({ name: from }), [from]);
  if (opened.error) return <ErrorNote error={opened.error} />;
  if (!opened.value) return <p className="muted">Opening {from}…</p>;
  return (
    <DraftEditor
      key={`${from}:${opened.value.hash}`}
      draft={opened.value}
      mode={mode}
      onSaved={onSaved}
      onClose={onClose}
    />
  );
}

function DraftEditor({
  draft,
  mode,
  onSaved,
  onClose,
}: {
  draft: ProfileDraftReport;
  mode: 'new' | 'edit';
  onSaved: (saved: SavedProfileReport) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(mode === 'new' ? `${draft.name}-copy` : draft.name);
  const [text, setText] = useState(draft.text);
  const [check, setCheck] = useState<ProfileDraftCheckReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [saved, setSaved] = useState<SavedProfileReport | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      void api.profiles.checkDraft({ text, ...(name.trim() ? { name: name.trim() } : {}) }).then((r) => {
        if (mine !== seq.current) return;
        if (r.ok) {
          setCheck(r.value);
          setError(null);
        } else setError(r.error);
      });
    }, CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, name]);

  function chooseToken(ref: string) {
    const range = check?.productRange;
    const literal = `'${SEALED_TOKEN_PREFIX}${ref}'`;
    setText((t) =>
      range
        ? `${t.slice(0, range.from)}${literal}${t.slice(range.to)}`
        : t.replace(/^\{/, `{\n  product: ${literal},`),
    );
  }

  async function save(e: React.FormEvent) {
    e.preventDefault();
    const result = await api.profiles.saveDraft({ name: name.trim(), text });
    setError(result.ok ? null : result.error);
    if (result.ok) {
      setSaved(result.value);
      onSaved(result.value);
    }
  }

  const problems = check?.problems ?? [];
  return (
    <article className="profile-editor" aria-label="Profile editor">
      <form className="form editor-bar" onSubmit={(e) => void save(e)} aria-label="Save profile">
        <h2>{mode === 'new' ? `New profile from ${draft.name}` : `Edit ${draft.name}`}</h2>
        <label>
          <span>Save as</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required size={24} />
        </label>
        <button type="submit" disabled={!check?.valid}>
          Save profile
        </button>
        <button type="button" onClick={onClose}>
          Close editor
        </button>
      </form>
      {draft.usedByOrders > 0 && mode === 'edit' ? (
        <p className="hint">
          {draft.usedByOrders} work order{draft.usedByOrders === 1 ? ' uses' : 's use'} this profile: saving
          keeps it as it is and writes a new version beside it.
        </p>
      ) : null}
      {saved ? (
        <p role="status" className="saved-note">
          {saved.unchanged
            ? `No change: ${saved.name} is already this version.`
            : `Saved as ${saved.name} (version ${saved.hash.slice(0, 12)}).`}
          {saved.keptInPlace
            ? ` ${saved.keptInPlace.name} is used by ${saved.keptInPlace.orders} order(s) and was left as it is.`
            : ''}
        </p>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      <TokenChooser current={check?.product ?? draft.product} onChoose={chooseToken} />
      <div className="editor-grid">
        <div>
          <Json5Editor value={text} onChange={setText} problems={problems} label="Profile text" />
          <p className="muted" data-testid="draft-verdict">
            {check ? (check.valid ? 'No problems.' : `${problems.length} problem(s).`) : 'Checking…'}
          </p>
          {problems.length ? (
            <ol className="problems" aria-label="Draft problems">
              {problems.map((p, i) => (
                <li key={i}>
                  <span className="mono">
                    line {p.line}, column {p.column}
                  </span>
                  : {p.message}
                  {p.hint ? <div className="hint">Fix: {p.hint}</div> : null}
                </li>
              ))}
            </ol>
          ) : null}
        </div>
        <aside>
          <h3>Claim IDs</h3>
          <p data-testid="draft-entropy">
            {check?.ids ? (
              <>
                <strong className={check.ids.entropyBits >= check.entropyFloor ? 'pass-text' : 'fail-text'}>
                  {check.ids.entropyBits.toFixed(1)} bits
                </strong>{' '}
                ({check.ids.length} of {check.ids.alphabet.length} letters
                {check.ids.checkSymbol ? ' + check symbol' : ''}; floor {check.entropyFloor} bits)
              </>
            ) : (
              'The ID policy is not readable yet.'
            )}
          </p>
          <h3>device.json5 for a sample unit</h3>
          {check?.preview ? (
            <pre className="code" aria-label="Draft device.json5 preview">
              {check.preview}
            </pre>
          ) : (
            <p className="muted">Shown when the profile has no problems.</p>
          )}
          {check ? <DiffView diff={check.diff} /> : null}
        </aside>
      </div>
    </article>
  );
}

/** The product token: chosen from the sealed store, or stored there first. Never shown. */
function TokenChooser({
  current,
  onChoose,
}: {
  current: ProductTokenSummary | null;
  onChoose: (ref: string) => void;
}) {
  const tokens = useOperation(() => api.cloud.listProductTokens(), []);
  const [label, setLabel] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  async function store(e: React.FormEvent) {
    e.preventDefault();
    const result = await api.cloud.storeProductToken({ label, token });
    setError(result.ok ? null : result.error);
    if (result.ok) {
      setLabel('');
      setToken('');
      tokens.reload();
      onChoose(result.value.ref);
    }
  }
  return (
    <fieldset className="token-chooser">
      <legend>Product token</legend>
      <label>
        <span>Sealed token</span>
        <select value={current?.ref ?? ''} onChange={(e) => e.target.value && onChoose(e.target.value)}>
          <option value="">— choose —</option>
          {(tokens.value ?? []).map((t) => (
            <option key={t.ref} value={t.ref}>
              {t.label} ({t.fingerprint})
            </option>
          ))}
        </select>
      </label>
      <details>
        <summary>Store a new token</summary>
        <form className="form" onSubmit={(e) => void store(e)} aria-label="Store a new product token">
          <label>
            <span>New token name</span>
            <input value={label} onChange={(e) => setLabel(e.target.value)} required />
          </label>
          <label>
            <span>Token (from the builder)</span>
            <input
              type="password"
              autoComplete="off"
              value={token}
              onChange={(e) => setToken(e.target.value)}
              required
            />
          </label>
          <button type="submit">Seal and use</button>
        </form>
      </details>
      {error ? <ErrorNote error={error} /> : null}
    </fieldset>
  );
}

function DiffView({ diff }: { diff: ProfileDiffReport }) {
  if (!diff.against) return <p className="muted">A new profile: nothing to compare with.</p>;
  return (
    <>
      <h3>
        Changes against {diff.against.name} {diff.against.hash.slice(0, 12)} (
        {diff.against.why === 'order' ? 'the newest order uses it' : 'the file on disk'})
      </h3>
      {diff.changed ? (
        <pre className="code diff" aria-label="Changes against the version in use">
          {diff.lines
            .filter((l, i, all) => all.slice(Math.max(0, i - 2), i + 3).some((x) => x.op !== ' '))
            .map((l, i) => (
              <div key={i} className={l.op === '+' ? 'diff-add' : l.op === '-' ? 'diff-del' : 'diff-same'}>
                {l.op} {l.text}
              </div>
            ))}
        </pre>
      ) : (
        <p className="muted">No changes.</p>
      )}
    </>
  );
}
