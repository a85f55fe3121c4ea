import { useState } from 'react';
import type { ErrorInfo, ProfileReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { ProfileEditor } from './ProfileEditor';
import { ProfileSource } from './ProfileSource';

/** Factory profiles: which are usable, what is wrong at which line, and what a unit would get. */
export function ProfilesScreen() {
  const list = useOperation(() => api.profiles.list(), []);
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ from: string; mode: 'new' | 'edit' } | null>(null);
  const profiles = list.value?.profiles ?? [];
  const current = profiles.find((p) => p.name === selected) ?? profiles[0] ?? null;

  return (
    <section aria-labelledby="profiles-title" className="profiles">
      <header className="screen-header">
        <h1 id="profiles-title">Profiles</h1>
        <p className="count">
          {list.value
            ? `${profiles.length} profile${profiles.length === 1 ? '' : 's'} · claim IDs need at least ${list.value.entropyFloor} bits`
            : ' '}
        </p>
        <button onClick={list.reload}>Reload from disk</button>
        {list.value ? <EntropyFloor bits={list.value.entropyFloor} onSaved={list.reload} /> : null}
      </header>
      {list.error ? <ErrorNote error={list.error} /> : null}
      <div className="profiles-body">
        <ul className="profile-list" aria-label="Profiles">
          {profiles.map((p) => (
            <li key={`${p.source}:${p.name}`}>
              <button aria-current={p === current ? 'true' : undefined} onClick={() => setSelected(p.name)}>
                <span className={p.valid ? 'verdict pass' : 'verdict fail'}>
                  {p.valid ? 'OK' : `${p.problems.length} problem${p.problems.length === 1 ? '' : 's'}`}
                </span>{' '}
                {p.name} <span className="muted">({p.source})</span>
              </button>
            </li>
          ))}
        </ul>
        {editing ? (
          <ProfileEditor
            key={`${editing.mode}:${editing.from}`}
            from={editing.from}
            mode={editing.mode}
            onSaved={(saved) => {
              setSelected(saved.name);
              list.reload();
            }}
            onClose={() => setEditing(null)}
          />
        ) : current ? (
          <ProfileDetail
            profile={current}
            floor={list.value?.entropyFloor ?? 50}
            onEdit={(mode) => setEditing({ from: current.name, mode })}
          />
        ) : null}
      </div>
      {list.value && profiles.length === 0 ? (
        <p className="empty">
          No profiles found. Add a .json5 file to factory-profiles/ or the data directory's profiles/.
        </p>
      ) : null}
    </section>
  );
}

/** The station's floor for claim-ID entropy: profiles under it are refused. */
function EntropyFloor({ bits, onSaved }: { bits: number; onSaved: () => void }) {
  const [value, setValue] = useState(String(bits));
  const [error, setError] = useState<ErrorInfo | null>(null);
  async function save(e: React.FormEvent) {
    e.preventDefault();
    const result = await api.profiles.setEntropyFloor({ bits: Number(value) });
    setError(result.ok ? null : result.error);
    if (result.ok) onSaved();
  }
  return (
    <form className="form" onSubmit={save} aria-label="Entropy floor">
      <label>
        <span>Entropy floor (bits)</span>
        <input inputMode="numeric" size={4} value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <button type="submit">Set floor</button>
      {error ? <ErrorNote error={error} /> : null}
    </form>
  );
}

function ProfileDetail({
  profile,
  floor,
  onEdit,
}: {
  profile: ProfileReport;
  floor: number;
  onEdit: (mode: 'new' | 'edit') => void;
}) {
  const preview = useOperation(
    () =>
      profile.valid
        ? api.profiles.previewDeviceConfig({ profile: profile.name })
        : Promise.resolve({ ok: true as const, value: null }),
    [profile.name, profile.hash, profile.valid],
  );
  return (
    <article className="profile-detail" aria-label={`Profile ${profile.name}`}>
      <h2>{profile.productName ?? profile.name}</h2>
      <div className="actions">
        <button onClick={() => onEdit('new')}>New profile from this</button>
        {profile.source === 'station' ? <button onClick={() => onEdit('edit')}>Edit</button> : null}
      </div>
      <dl>
        <dt>File</dt>
        <dd className="mono">{profile.file}</dd>
        <dt>Version</dt>
        <dd className="mono">{profile.hash.slice(0, 12)}</dd>
        {profile.valid ? (
          <>
            <dt>Product token</dt>
            <dd className="mono" data-testid="product-masked">
              {profile.productMasked}
            </dd>
            <dt>Model</dt>
            <dd>{profile.model}</dd>
            <dt>Description</dt>
            <dd>{profile.description || '—'}</dd>
            <dt>Test devices</dt>
            <dd>{profile.test ? 'yes' : 'no'}</dd>
          </>
        ) : null}
        {profile.ids ? (
          <>
            <dt>Claim IDs</dt>
            <dd>
              {profile.ids.length} of {profile.ids.alphabet.length} letters
              {profile.ids.checkSymbol ? ' + check symbol' : ''}{' '}
              <span className="mono muted">{profile.ids.alphabet}</span>
            </dd>
            <dt>Entropy</dt>
            <dd data-testid="entropy">
              <strong className={profile.ids.entropyBits >= floor ? 'pass-text' : 'fail-text'}>
                {profile.ids.entropyBits.toFixed(1)} bits
              </strong>{' '}
              <span className="muted">(station floor {floor} bits)</span>
            </dd>
          </>
        ) : null}
      </dl>
      {profile.problems.length ? (
        <>
          <h3>Problems</h3>
          <ol className="problems" aria-label="Problems">
            {profile.problems.map((p, i) => (
              <li key={i}>
                <span className="mono">
                  line {p.line}, column {p.column}
                </span>
                : {p.message}
                {p.hint ? <div className="hint">Fix: {p.hint}</div> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      <h3>Profile file</h3>
      <ProfileSource text={profile.text} problems={profile.problems} />
      {profile.valid ? (
        <>
          <h3>device.json5 for a sample unit</h3>
          {preview.error ? <ErrorNote error={preview.error} /> : null}
          {preview.value ? (
            <pre className="code" aria-label="device.json5 preview">
              {preview.value.text}
            </pre>
          ) : null}
        </>
      ) : null}
    </article>
  );
}
