import { useEffect, useState } from 'react';
import type { ErrorInfo, LabelFileFormat, PrinterSetup } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';

type Kind = PrinterSetup['kind'];

/** The station's label printer (a station setting) and "print test label". */
export function PrinterSetupPanel({ onPrinted }: { onPrinted: () => void }) {
  const settings = useOperation(() => api.labels.getSettings(), []);
  const printers = useOperation(() => api.labels.listPrinters(), []);
  const [kind, setKind] = useState<Kind>('zpl-tcp');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('9100');
  const [name, setName] = useState('');
  const [dir, setDir] = useState('');
  const [format, setFormat] = useState<LabelFileFormat>('pdf');
  const [copies, setCopies] = useState('1');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    if (settings.value) setCopies(String(settings.value.copies));
    const p = settings.value?.printer;
    if (!p) return;
    setKind(p.kind);
    if (p.kind === 'zpl-tcp') {
      setHost(p.host);
      setPort(String(p.port));
    } else if (p.kind === 'system') setName(p.name);
    else {
      setDir(p.dir);
      setFormat(p.format);
    }
  }, [settings.value]);

  function setup(): PrinterSetup {
    if (kind === 'zpl-tcp') return { kind, host: host.trim(), port: Number(port) };
    if (kind === 'system') return { kind, name, server: null };
    return { kind, dir: dir.trim(), format };
  }

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setStatus('');
    const result = await api.labels.updateSettings({ printer: setup(), copies: Number(copies) || 1 });
    setError(result.ok ? null : result.error);
    if (result.ok) setStatus('Printer saved.');
  }

  async function testPrint() {
    setStatus('Printing a test label…');
    const result = await api.labels.printTest();
    setError(result.ok ? null : result.error);
    setStatus(result.ok ? `Test label sent to ${result.value.printer}.` : '');
    if (result.ok) onPrinted();
  }

  return (
    <div className="panel">
      <h2>Printer</h2>
      <form className="form" onSubmit={save} aria-label="Label printer">
        <label>
          <span>Kind</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            <option value="zpl-tcp">Network label printer (ZPL)</option>
            <option value="system">Printer of this computer</option>
            <option value="file">Save as files</option>
          </select>
        </label>
        {kind === 'zpl-tcp' ? (
          <>
            <label>
              <span>Printer address</span>
              <input value={host} onChange={(e) => setHost(e.target.value)} placeholder="192.168.1.40" />
            </label>
            <label>
              <span>Port</span>
              <input value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" size={6} />
            </label>
          </>
        ) : kind === 'system' ? (
          <label>
            <span>Printer</span>
            <select value={name} onChange={(e) => setName(e.target.value)}>
              <option value="">Choose…</option>
              {(printers.value?.system ?? []).map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <>
            <label>
              <span>Folder</span>
              <input value={dir} onChange={(e) => setDir(e.target.value)} placeholder="/home/line/labels" />
            </label>
            <label>
              <span>Format</span>
              <select value={format} onChange={(e) => setFormat(e.target.value as LabelFileFormat)}>
                <option value="pdf">PDF</option>
                <option value="png">PNG</option>
                <option value="zpl">ZPL</option>
              </select>
            </label>
          </>
        )}
        <label>
          <span>Labels per unit</span>
          <input value={copies} onChange={(e) => setCopies(e.target.value)} inputMode="numeric" size={3} />
        </label>
        <button type="submit">Save printer</button>
        <button type="button" onClick={() => void testPrint()}>
          Print test label
        </button>
      </form>
      {kind === 'system' && printers.value?.error ? (
        <p className="muted">No printers found: {printers.value.error}</p>
      ) : null}
      <p role="status">{status}</p>
      {error ? <ErrorNote error={error} /> : null}
    </div>
  );
}
