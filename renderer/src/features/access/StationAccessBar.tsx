import { useState } from 'react';
import type { AccessStateReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { PinPrompt } from './PinPrompt';

/**
 * The lock, in one line above the slots: what the engineer locked in and who is signed in (locked),
 * or a "Lock for production" button (unlocked). Unlocking asks for the engineer's PIN.
 */
export function StationAccessBar({ access }: { access: AccessStateReport }) {
  const [asking, setAsking] = useState(false);
  const setup = access.setup;
  if (access.locked && setup)
    return (
      <div className="access-bar locked" role="region" aria-label="Station lock">
        <p>
          <strong>Locked</strong> · order <span className="mono">{setup.orderId}</span> · profile{' '}
          {setup.profileName} · {setup.slotCount} slots · {setup.printer}
        </p>
        {access.operator ? (
          <p data-testid="operator">
            Operator: <strong>{access.operator.name}</strong>{' '}
            <button type="button" onClick={() => void api.access.signOut(undefined)}>
              Sign out
            </button>
          </p>
        ) : null}
        {asking ? (
          <PinPrompt
            label="Engineer PIN"
            action="Unlock"
            onCancel={() => setAsking(false)}
            onSubmit={async (pin) => {
              const r = await api.access.unlock({ pin });
              if (r.ok) setAsking(false);
              return r;
            }}
          />
        ) : (
          <button type="button" onClick={() => setAsking(true)}>
            Unlock (engineer)
          </button>
        )}
      </div>
    );
  return (
    <div className="access-bar" role="region" aria-label="Station lock">
      <p>
        Set-up mode{access.operator ? ` · ${access.operator.name}` : ''}.{' '}
        {access.pinSet ? '' : 'Set an engineer PIN in Settings to lock the station for production.'}
      </p>
      {access.pinSet ? (
        asking ? (
          <PinPrompt
            label="Engineer PIN"
            action="Lock"
            onCancel={() => setAsking(false)}
            onSubmit={async (pin) => {
              const r = await api.access.lock({ pin });
              if (r.ok) setAsking(false);
              return r;
            }}
          />
        ) : (
          <button type="button" onClick={() => setAsking(true)}>
            Lock for production
          </button>
        )
      ) : null}
    </div>
  );
}
