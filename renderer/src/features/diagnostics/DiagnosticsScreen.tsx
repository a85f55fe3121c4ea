import { useState } from 'react';
import { ClaimIdTab } from './ClaimIdTab';
import { ConnectivityTab } from './ConnectivityTab';
import { ConsoleTab } from './ConsoleTab';
import { IdentityTab } from './IdentityTab';
import { StoreBrowser } from './StoreBrowser';

const tabs = [
  { id: 'claim-id', label: "Get a dev board's claim ID" },
  { id: 'store', label: 'Device store' },
  { id: 'identity', label: 'Device identity' },
  { id: 'connectivity', label: 'Connectivity' },
  { id: 'console', label: 'Console' },
] as const;

type TabId = (typeof tabs)[number]['id'];

/** Off the line: evaluators' claim IDs, a device's local store, its identity and its broker. */
export function DiagnosticsScreen() {
  const [tab, setTab] = useState<TabId>('claim-id');
  return (
    <section aria-labelledby="diagnostics-title" className="diagnostics">
      <header className="screen-header">
        <h1 id="diagnostics-title">Diagnostics</h1>
      </header>
      <div role="tablist" aria-label="Diagnostics" className="tabs">
        {tabs.map((t) => (
          <button
            key={t.id}
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'claim-id' ? <ClaimIdTab /> : null}
        {tab === 'store' ? <StoreBrowser /> : null}
        {tab === 'identity' ? <IdentityTab /> : null}
        {tab === 'connectivity' ? <ConnectivityTab /> : null}
        {tab === 'console' ? <ConsoleTab /> : null}
      </div>
    </section>
  );
}
