import { useState } from 'react';
import type { DeviceStoreReport, ErrorInfo, Result } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { droppedFiles, pickDatabase, toBase64 } from './files';
import { emptyPem, PemField, pemRequest, type PemValue } from './PemField';

/** Open a device's store: a copied database (pick, drop a folder, or a path) or live over MQTT. */
export function OpenStoreForm({ onOpened }: { onOpened: (report: DeviceStoreReport) => void }) {
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [dbPath, setDbPath] = useState('');
  const [mqtt, setMqtt] = useState({ url: '', claimId: '' });
  const [pems, setPems] = useState<{ cert: PemValue; key: PemValue; ca: PemValue }>({
    cert: emptyPem,
    key: emptyPem,
    ca: emptyPem,
  });

  async function run(what: string, call: () => Promise<Result<DeviceStoreReport>>) {
    setBusy(what);
    setError(null);
    const result = await call();
    setBusy(null);
    if (result.ok) onOpened(result.value);
    else setError(result.error);
  }

  async function openFiles(files: File[]) {
    const pick = pickDatabase(files);
    if (!pick) {
      setError({
        code: 'not-found',
        message: 'No device.db among those files: pick the device.db file or its folder.',
      });
      return;
    }
    await run('file', async () =>
      api.openDeviceDatabase({
        dbBase64: toBase64(new Uint8Array(await pick.db.arrayBuffer())),
        journalBase64: pick.journal ? toBase64(new Uint8Array(await pick.journal.arrayBuffer())) : null,
        name: pick.db.webkitRelativePath || pick.db.name,
        stream: true,
      }),
    );
  }

  return (
    <div className="open-store">
      <div
        className="drop-zone"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          void droppedFiles(e.dataTransfer).then(openFiles);
        }}
      >
        <h2>A copied database</h2>
        <p>Drop the unit's db folder here (device.db and device.db.jnl), or pick the files.</p>
        <label className="file-pick">
          <span>Pick device.db (and its .jnl)</span>
          <input
            type="file"
            multiple
            aria-label="Pick device.db files"
            onChange={(e) => void openFiles([...(e.target.files ?? [])])}
          />
        </label>
        <form
          className="form inline"
          onSubmit={(e) => {
            e.preventDefault();
            void run('path', () => api.openDeviceDatabase({ dbPath: dbPath.trim(), stream: true }));
          }}
        >
          <label>
            <span>Or a path on this station</span>
            <input
              value={dbPath}
              spellCheck={false}
              placeholder="/media/usb/state/db"
              onChange={(e) => setDbPath(e.target.value)}
            />
          </label>
          <button type="submit" disabled={!dbPath.trim() || busy !== null}>
            Open database
          </button>
        </form>
      </div>
      <form
        className="mqtt-open"
        onSubmit={(e) => {
          e.preventDefault();
          void run('mqtt', () =>
            api.openDeviceMqtt({
              url: mqtt.url.trim(),
              claimId: mqtt.claimId.trim().toUpperCase(),
              ...pemRequest(pems.cert, 'certPath', 'certPem'),
              ...pemRequest(pems.key, 'keyPath', 'keyPem'),
              ...pemRequest(pems.ca, 'caPath', 'caPem'),
            }),
          );
        }}
      >
        <h2>Live, over MQTT</h2>
        <p>
          Lineside acts as the device's cloud on the site's broker. Restart the device's agent so it syncs.
        </p>
        <div className="form">
          <label>
            <span>Broker URL</span>
            <input
              value={mqtt.url}
              spellCheck={false}
              placeholder="mqtts://broker.local:8883"
              onChange={(e) => setMqtt({ ...mqtt, url: e.target.value })}
            />
          </label>
          <label>
            <span>Device claim ID</span>
            <input
              value={mqtt.claimId}
              spellCheck={false}
              placeholder="M72DANY8BZ"
              onChange={(e) => setMqtt({ ...mqtt, claimId: e.target.value })}
            />
          </label>
          <PemField
            label="Client certificate (optional)"
            value={pems.cert}
            onChange={(cert) => setPems({ ...pems, cert })}
          />
          <PemField
            label="Client key (optional)"
            value={pems.key}
            onChange={(key) => setPems({ ...pems, key })}
          />
          <PemField
            label="CA certificate (optional)"
            value={pems.ca}
            onChange={(ca) => setPems({ ...pems, ca })}
          />
        </div>
        <button type="submit" disabled={!mqtt.url.trim() || !mqtt.claimId.trim() || busy !== null}>
          {busy === 'mqtt' ? 'Waiting for the device…' : 'Connect'}
        </button>
      </form>
      {busy && busy !== 'mqtt' ? <p aria-live="polite">Reading the database…</p> : null}
      {error ? <ErrorNote error={error} /> : null}
    </div>
  );
}
