import { useState } from 'react';
import type { CaStatusReport, CertKeyType, Result } from '../../../../electron/shared/contract';
import { api } from '../../api';

type Mode = 'create' | 'import-pem' | 'import-p12';

function toBase64(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes);
  let text = '';
  for (let i = 0; i < view.length; i += 0x8000) text += String.fromCharCode(...view.subarray(i, i + 0x8000));
  return window.btoa(text);
}

/** Create a CA, or import one from PEM files or a PKCS#12 bundle; always under a new passphrase. */
export function CaSetupForm({
  replace,
  onDone,
}: {
  replace: boolean;
  onDone: (call: Promise<Result<CaStatusReport>>) => Promise<boolean>;
}) {
  const [mode, setMode] = useState<Mode>('create');
  const [commonName, setCommonName] = useState('Factory CA');
  const [organization, setOrganization] = useState('');
  const [keyType, setKeyType] = useState<CertKeyType>('ec-p256');
  const [years, setYears] = useState(10);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [certFile, setCertFile] = useState<File | null>(null);
  const [keyFile, setKeyFile] = useState<File | null>(null);
  const [keyPassword, setKeyPassword] = useState('');
  const [p12File, setP12File] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = confirm.length > 0 && confirm !== passphrase;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (mismatch) return;
    setBusy(true);
    try {
      if (mode === 'create') {
        await onDone(
          api.certs.createCa({
            commonName,
            ...(organization ? { organization } : {}),
            keyType,
            validityDays: Math.round(years * 365),
            passphrase,
            replace,
          }),
        );
      } else if (mode === 'import-pem' && certFile && keyFile) {
        await onDone(
          api.certs.importCa({
            format: 'pem',
            certificatePem: await certFile.text(),
            keyPem: await keyFile.text(),
            ...(keyPassword ? { keyPassword } : {}),
            passphrase,
            replace,
          }),
        );
      } else if (mode === 'import-p12' && p12File) {
        await onDone(
          api.certs.importCa({
            format: 'pkcs12',
            pkcs12Base64: toBase64(await p12File.arrayBuffer()),
            pkcs12Password: keyPassword,
            passphrase,
            replace,
          }),
        );
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="ca-setup"
      onSubmit={(e) => void submit(e)}
      aria-label={replace ? 'Replace the CA' : 'Set up the CA'}
    >
      <fieldset className="segmented">
        <legend>How</legend>
        {(
          [
            ['create', 'Create a new CA'],
            ['import-pem', 'Import PEM files'],
            ['import-p12', 'Import PKCS#12'],
          ] as const
        ).map(([value, label]) => (
          <label key={value}>
            <input type="radio" name="ca-mode" checked={mode === value} onChange={() => setMode(value)} />
            <span>{label}</span>
          </label>
        ))}
      </fieldset>
      {mode === 'create' ? (
        <div className="form">
          <label>
            <span>CA name</span>
            <input value={commonName} onChange={(e) => setCommonName(e.target.value)} />
          </label>
          <label>
            <span>Organization</span>
            <input value={organization} onChange={(e) => setOrganization(e.target.value)} />
          </label>
          <label>
            <span>Key type</span>
            <select value={keyType} onChange={(e) => setKeyType(e.target.value as CertKeyType)}>
              <option value="ec-p256">EC P-256</option>
              <option value="rsa2048">RSA 2048</option>
              <option value="rsa3072">RSA 3072</option>
            </select>
          </label>
          <label>
            <span>Valid for (years)</span>
            <input
              type="number"
              min={1}
              max={50}
              value={years}
              onChange={(e) => setYears(Number(e.target.value))}
            />
          </label>
        </div>
      ) : mode === 'import-pem' ? (
        <div className="form">
          <label>
            <span>CA certificate (PEM)</span>
            <input
              type="file"
              accept=".pem,.crt,.cer"
              onChange={(e) => setCertFile(e.target.files?.[0] ?? null)}
            />
          </label>
          <label>
            <span>CA key (PEM)</span>
            <input type="file" accept=".pem,.key" onChange={(e) => setKeyFile(e.target.files?.[0] ?? null)} />
          </label>
          <label>
            <span>Key file password (if any)</span>
            <input type="password" value={keyPassword} onChange={(e) => setKeyPassword(e.target.value)} />
          </label>
        </div>
      ) : (
        <div className="form">
          <label>
            <span>PKCS#12 file</span>
            <input type="file" accept=".p12,.pfx" onChange={(e) => setP12File(e.target.files?.[0] ?? null)} />
          </label>
          <label>
            <span>PKCS#12 password</span>
            <input type="password" value={keyPassword} onChange={(e) => setKeyPassword(e.target.value)} />
          </label>
        </div>
      )}
      <div className="form">
        <label>
          <span>New CA passphrase</span>
          <input
            type="password"
            autoComplete="new-password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </label>
        <label>
          <span>Passphrase again</span>
          <input
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
          />
        </label>
        <button type="submit" disabled={busy || passphrase.length === 0 || confirm !== passphrase}>
          {mode === 'create' ? (replace ? 'Replace with a new CA' : 'Create the CA') : 'Import the CA'}
        </button>
      </div>
      {mismatch ? <p className="ca-warning">The two passphrases differ.</p> : null}
      <p className="muted">
        The key is stored encrypted with this passphrase. Without it no certificate can be issued: keep it
        where the engineers who run the line can find it.
        {replace ? ' The old CA is kept aside, not deleted.' : ''}
      </p>
    </form>
  );
}
