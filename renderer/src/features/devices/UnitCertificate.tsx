import { useState } from 'react';
import type {
  DeviceCertificateReport,
  ErrorInfo,
  RevocationReason,
} from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';

function standing(
  c: DeviceCertificateReport,
  now: number,
): { label: string; tone: 'pass' | 'fail' | 'warn' } {
  if (c.revokedAt) return { label: `Revoked ${new Date(c.revokedAt).toLocaleDateString()}`, tone: 'fail' };
  if (Date.parse(c.notAfter) < now) return { label: 'Expired', tone: 'fail' };
  if (Date.parse(c.notBefore) > now) return { label: 'Not valid yet (check the clock)', tone: 'warn' };
  return { label: 'Valid', tone: 'pass' };
}

/** The unit's client certificate (newest first), with revocation for a unit that is lost or reworked. */
export function UnitCertificate({ claimId }: { claimId: string }) {
  const certs = useOperation(() => api.certs.list({ claimId, limit: 20 }), [claimId]);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState<RevocationReason>('cessationOfOperation');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const list = certs.value ?? [];
  const [current, ...older] = list;
  const now = Date.now();

  async function revoke() {
    const result = await api.certs.revoke({ claimId, reason });
    setError(result.ok ? null : result.error);
    setConfirming(false);
    certs.reload();
  }

  return (
    <section className="unit-certificate" aria-label="Certificate">
      <h3>Certificate</h3>
      {certs.error ? <ErrorNote error={certs.error} /> : null}
      {certs.value && !current ? <p className="muted">No certificate issued for this unit.</p> : null}
      {current ? (
        <>
          <p className={`cert-standing tone-${standing(current, now).tone}`} data-testid="unit-cert-standing">
            {standing(current, now).label}
          </p>
          <dl>
            <dt>Fingerprint</dt>
            <dd className="mono fingerprint" data-testid="unit-cert-fingerprint">
              {current.fingerprint}
            </dd>
            <dt>Serial</dt>
            <dd className="mono">{current.serial}</dd>
            <dt>Key</dt>
            <dd>
              {current.keyType} · {current.keySource === 'host' ? 'made by the station' : 'made by the unit'}
              {current.escrowed ? ' · escrowed' : ''}
            </dd>
            <dt>Validity</dt>
            <dd>
              {new Date(current.notBefore).toLocaleDateString()} to{' '}
              {new Date(current.notAfter).toLocaleDateString()}
            </dd>
            <dt>Subject</dt>
            <dd>{current.subject}</dd>
          </dl>
          {list.some((c) => !c.revokedAt) ? (
            confirming ? (
              <div className="form">
                <label>
                  <span>Reason</span>
                  <select value={reason} onChange={(e) => setReason(e.target.value as RevocationReason)}>
                    <option value="cessationOfOperation">Unit scrapped or returned</option>
                    <option value="superseded">Replaced by a new certificate</option>
                    <option value="keyCompromise">Key may be compromised</option>
                    <option value="affiliationChanged">Sold or moved to another customer</option>
                    <option value="unspecified">Other</option>
                  </select>
                </label>
                <button className="danger" onClick={() => void revoke()}>
                  Revoke now
                </button>
                <button onClick={() => setConfirming(false)}>Keep it</button>
              </div>
            ) : (
              <button onClick={() => setConfirming(true)}>Revoke certificate…</button>
            )
          ) : null}
        </>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      {older.length > 0 ? (
        <details>
          <summary>Earlier certificates ({older.length})</summary>
          <ul className="cert-history">
            {older.map((c) => (
              <li key={c.serial}>
                <span className="mono">{c.fingerprint.slice(0, 23)}…</span> {standing(c, now).label}, issued{' '}
                {new Date(c.issuedAt).toLocaleDateString()}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
