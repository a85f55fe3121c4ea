import { useState } from 'react';
import type { CaStatusReport, CertKeyType, ErrorInfo, Result } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { CaSetupForm } from './CaSetupForm';

/**
 * The factory CA in Settings: create or import it, see its fingerprint and expiry, and unlock it
 * with the passphrase for a shift (lock it when the shift ends). The CA key never comes here:
 * the station sends only the status.
 */
export function CaPanel() {
  const loaded = useOperation(() => api.certs.getCaStatus(), []);
  const [status, setStatus] = useState<CaStatusReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [remember, setRemember] = useState(false);
  const [replacing, setReplacing] = useState(false);
  const current = status ?? loaded.value;

  async function run(call: Promise<Result<CaStatusReport>>): Promise<boolean> {
    const result = await call;
    setError(result.ok ? null : result.error);
    if (result.ok) {
      setStatus(result.value);
      setPassphrase('');
    }
    return result.ok;
  }

  async function unlock(e: React.FormEvent) {
    e.preventDefault();
    await run(api.certs.unlockCa({ passphrase, remember }));
  }

  return (
    <section className="ca-panel" aria-labelledby="ca-title">
      <h2 id="ca-title">Factory CA</h2>
      {loaded.error ? <ErrorNote error={loaded.error} /> : null}
      {current?.ca ? (
        <>
          <p className={`ca-state ca-${current.state}`} data-testid="ca-state" aria-live="polite">
            {current.state === 'unlocked'
              ? 'Unlocked: this station can issue certificates'
              : 'Locked: enter the passphrase to issue certificates'}
          </p>
          {current.warning ? (
            <p className="ca-warning" role="alert">
              {current.warning}
            </p>
          ) : null}
          <dl>
            <dt>Subject</dt>
            <dd>{current.ca.subject}</dd>
            <dt>Key</dt>
            <dd>{keyLabel(current.ca.keyType)}</dd>
            <dt>Fingerprint (SHA-256)</dt>
            <dd className="mono fingerprint" data-testid="ca-fingerprint">
              {current.ca.fingerprint}
            </dd>
            <dt>Valid until</dt>
            <dd>
              {new Date(current.ca.notAfter).toLocaleDateString()} ({current.ca.daysLeft} days left)
            </dd>
          </dl>
          {current.state === 'unlocked' ? (
            <button onClick={() => void run(api.certs.lockCa(undefined))}>Lock the CA</button>
          ) : (
            <form className="form" onSubmit={(e) => void unlock(e)}>
              <label>
                <span>CA passphrase</span>
                <input
                  type="password"
                  autoComplete="off"
                  value={passphrase}
                  onChange={(e) => setPassphrase(e.target.value)}
                />
              </label>
              {current.rememberAvailable ? (
                <label className="check">
                  <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
                  <span>Remember on this computer</span>
                </label>
              ) : null}
              <button type="submit" disabled={passphrase.length === 0}>
                Unlock
              </button>
              {current.remembered ? (
                <button type="button" onClick={() => void run(api.certs.unlockCa({}))}>
                  Unlock with saved passphrase
                </button>
              ) : null}
            </form>
          )}
          {error ? <ErrorNote error={error} /> : null}
          {replacing ? (
            <CaSetupForm
              replace
              onDone={async (call) => {
                const ok = await run(call);
                if (ok) setReplacing(false);
                return ok;
              }}
            />
          ) : (
            <button className="quiet" onClick={() => setReplacing(true)}>
              Replace the CA…
            </button>
          )}
        </>
      ) : current ? (
        <>
          <p className="muted">
            No factory CA yet. Create one here, or import the CA your company already uses (PEM or PKCS#12).
          </p>
          <CaSetupForm replace={false} onDone={run} />
          {error ? <ErrorNote error={error} /> : null}
        </>
      ) : null}
    </section>
  );
}

export function keyLabel(type: CertKeyType): string {
  return type === 'ec-p256' ? 'EC P-256' : type === 'rsa2048' ? 'RSA 2048' : 'RSA 3072';
}
