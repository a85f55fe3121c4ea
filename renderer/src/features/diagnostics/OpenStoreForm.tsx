import { useEffect, useState } from 'react';
import type {
  DeviceStoreReport,
  ErrorInfo,
  Result,
  SerialPortEntry,
} from '../../../../electron/shared/contract';
import { api } from '../../api';
import { ErrorNote } from '../../components/ErrorNote';
import { droppedFiles, pickDatabase, toBase64 } from './files';
import { emptyPem, PemField, pemRequest, type PemValue } from './PemField';

/** Open a device's store: a copied database (pick, drop a folder, or a path), a serial port, or MQTT. */
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

  const [serial, setSerial] = useState({
    path: '',
    transport: 'framed' as 'framed' | 'shell' | 'esp32',
    deviceDir: '',
    reset: 'classic' as 'classic' | 'usb-jtag' | 'none',
    user: '',
    password: '',
  });
  const [ports, setPorts] = useState<SerialPortEntry[]>([]);
  useEffect(() => {
    void api.devstore.listSerialPorts().then((r) => {
      if (r.ok) setPorts(r.value);
    });
  }, []);

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
      api.devstore.openDatabase({
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
            void run('path', () => api.devstore.openDatabase({ dbPath: dbPath.trim(), stream: true }));
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
            api.devstore.openMqtt({
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
      <form
        className="serial-open"
        onSubmit={(e) => {
          e.preventDefault();
          void run('serial', () =>
            api.devstore.openSerial({
              path: serial.path.trim(),
              transport: serial.transport,
              ...(serial.transport === 'esp32' ? { reset: serial.reset } : {}),
              ...(serial.deviceDir.trim() && serial.transport !== 'esp32'
                ? { deviceDir: serial.deviceDir.trim() }
                : {}),
              ...(serial.transport === 'shell' && serial.user.trim()
                ? { login: { user: serial.user.trim(), password: serial.password } }
                : {}),
            }),
          );
        }}
      >
        <h2>Serial port</h2>
        <p>
          A unit on this station's serial port: its console (shell, read-only), the framed protocol (values
          can be changed), or an ESP32's storage partition read through its bootloader (read-only; the unit is
          reset back into its firmware afterwards).
        </p>
        <div className="form">
          <label>
            <span>Port</span>
            <input
              list="store-serial-ports"
              value={serial.path}
              spellCheck={false}
              placeholder="/dev/ttyUSB0"
              onChange={(e) => setSerial({ ...serial, path: e.target.value })}
            />
            <datalist id="store-serial-ports">
              {ports.map((p) => (
                <option key={p.path} value={p.path}>
                  {[p.manufacturer, p.serialNumber].filter(Boolean).join(' ')}
                </option>
              ))}
            </datalist>
          </label>
          <label>
            <span>Transport</span>
            <select
              value={serial.transport}
              onChange={(e) =>
                setSerial({ ...serial, transport: e.target.value as 'framed' | 'shell' | 'esp32' })
              }
            >
              <option value="framed">framed (microcontroller)</option>
              <option value="shell">shell (Linux console)</option>
              <option value="esp32">ESP32 over USB</option>
            </select>
          </label>
          {serial.transport === 'esp32' ? (
            <label>
              <span>Enter the bootloader by</span>
              <select
                value={serial.reset}
                onChange={(e) =>
                  setSerial({ ...serial, reset: e.target.value as 'classic' | 'usb-jtag' | 'none' })
                }
              >
                <option value="classic">DTR/RTS auto-reset (USB-UART boards)</option>
                <option value="usb-jtag">USB-Serial/JTAG</option>
                <option value="none">nothing (BOOT held by hand or fixture)</option>
              </select>
            </label>
          ) : null}
          <label hidden={serial.transport === 'esp32'}>
            <span>Device directory (optional)</span>
            <input
              value={serial.deviceDir}
              spellCheck={false}
              placeholder={serial.transport === 'shell' ? '/opt/ioto/state' : "the unit's root"}
              onChange={(e) => setSerial({ ...serial, deviceDir: e.target.value })}
            />
          </label>
          {serial.transport === 'shell' ? (
            <>
              <label>
                <span>Console login (if asked)</span>
                <input
                  value={serial.user}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="root"
                  onChange={(e) => setSerial({ ...serial, user: e.target.value })}
                />
              </label>
              <label>
                <span>Password</span>
                <input
                  type="password"
                  value={serial.password}
                  autoComplete="off"
                  onChange={(e) => setSerial({ ...serial, password: e.target.value })}
                />
              </label>
            </>
          ) : null}
        </div>
        <button type="submit" disabled={!serial.path.trim() || busy !== null}>
          {busy === 'serial' ? 'Reading the unit…' : 'Open over serial'}
        </button>
      </form>
      {busy && busy !== 'mqtt' && busy !== 'serial' ? <p aria-live="polite">Reading the database…</p> : null}
      {error ? <ErrorNote error={error} /> : null}
    </div>
  );
}
