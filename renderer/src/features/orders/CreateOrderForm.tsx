import { useState } from 'react';
import type { CreateOrderRequest, ErrorInfo, OrderStartedReport } from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';

/** The order's first and last serial as the station will expect them on the labels. */
export function serialRangePreview(
  prefix: string,
  start: number,
  width: number,
  quantity: number,
): { first: string; last: string } | null {
  if (!prefix.trim() || !Number.isInteger(start) || start < 0 || !Number.isInteger(width) || width < 0)
    return null;
  const at = (n: number) => prefix.trim() + String(n).padStart(width, '0');
  return { first: at(start), last: at(start + Math.max(1, quantity) - 1) };
}

/** The most units one order reserves (the station refuses more: createOrder's schema). */
const MAX_QUANTITY = 5_000_000;

/** Why the typed quantity cannot be an order's, in one sentence; null when it can (or is empty). */
export function quantityProblem(text: string): string | null {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d+$/.test(t)) return 'Enter the quantity as a whole number of units, e.g. 500.';
  const n = Number(t);
  if (n < 1) return 'An order has at least 1 unit.';
  if (n > MAX_QUANTITY)
    return `An order has at most ${MAX_QUANTITY.toLocaleString('en')} units: split a larger run into several orders.`;
  return null;
}

/** Create a work order from a valid profile; its IDs are reserved as a job. */
export function CreateOrderForm({ onStarted }: { onStarted: (started: OrderStartedReport) => void }) {
  const profiles = useOperation(() => api.profiles.list(), []);
  const valid = profiles.value?.profiles.filter((p) => p.valid) ?? [];
  const [profile, setProfile] = useState('');
  const [quantity, setQuantity] = useState('');
  const [orderId, setOrderId] = useState('');
  const [serialPrefix, setSerialPrefix] = useState('');
  const [serialStart, setSerialStart] = useState('1');
  // Follows the digits typed as the first serial ("2001" → 4) until the engineer sets it.
  const [serialWidth, setSerialWidth] = useState<string | null>(null);
  const width = serialWidth ?? String(Math.max(1, serialStart.trim().length));
  const preview = serialRangePreview(serialPrefix, Number(serialStart), Number(width), Number(quantity) || 1);
  const quantityError = quantityProblem(quantity);
  const [serialsFile, setSerialsFile] = useState<{ name: string; serials: string[] } | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!quantity.trim() || quantityError) return;
    const chosen = profile || valid[0]?.name || '';
    const req: CreateOrderRequest = { profile: chosen, quantity: Number(quantity) };
    if (orderId.trim()) req.orderId = orderId.trim();
    if (serialsFile) req.serials = { kind: 'list', serials: serialsFile.serials };
    else if (serialPrefix.trim())
      req.serials = {
        kind: 'range',
        prefix: serialPrefix.trim(),
        start: Number(serialStart) || 0,
        width: Number(width) || 0,
      };
    setBusy(true);
    const result = await api.orders.create(req);
    setBusy(false);
    setError(result.ok ? null : result.error);
    if (result.ok) {
      setQuantity('');
      setOrderId('');
      onStarted(result.value);
    }
  }

  return (
    <form className="form create-order" onSubmit={submit} aria-label="New work order">
      <label>
        <span>Profile</span>
        <select value={profile || valid[0]?.name || ''} onChange={(e) => setProfile(e.target.value)}>
          {valid.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name} — {p.productName} ({p.ids?.entropyBits.toFixed(0)} bits)
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Quantity</span>
        <input
          inputMode="numeric"
          value={quantity}
          onChange={(e) => setQuantity(e.target.value)}
          size={9}
          aria-invalid={quantityError ? true : undefined}
          aria-describedby={quantityError ? 'order-quantity-problem' : undefined}
        />
      </label>
      {quantityError ? (
        <p className="field-problem" id="order-quantity-problem" role="alert">
          {quantityError}
        </p>
      ) : null}
      <label>
        <span>Order ID (optional)</span>
        <input value={orderId} onChange={(e) => setOrderId(e.target.value)} placeholder="WO-…" size={16} />
      </label>
      <label>
        <span>Serial prefix (optional)</span>
        <input value={serialPrefix} onChange={(e) => setSerialPrefix(e.target.value)} size={8} />
      </label>
      <label>
        <span>First serial</span>
        <input
          inputMode="numeric"
          value={serialStart}
          onChange={(e) => setSerialStart(e.target.value)}
          size={7}
        />
      </label>
      <label>
        <span>Serial width (digits)</span>
        <input
          inputMode="numeric"
          value={width}
          onChange={(e) => setSerialWidth(e.target.value)}
          size={3}
          aria-label="Serial width"
        />
      </label>
      {preview ? (
        <p className="serial-preview" data-testid="serial-preview" aria-live="polite">
          Serials <span className="mono">{preview.first}</span> … <span className="mono">{preview.last}</span>
        </p>
      ) : null}
      <SerialsFilePicker file={serialsFile} onPicked={setSerialsFile} />
      <button
        type="submit"
        disabled={busy || !quantity.trim() || quantityError !== null || valid.length === 0}
      >
        Create and reserve IDs
      </button>
      {error ? <ErrorNote error={error} /> : null}
      {profiles.error ? <ErrorNote error={profiles.error} /> : null}
    </form>
  );
}

/** The same file `orders create --serials-file` reads: one serial per line, blank lines ignored. */
export function serialsFromText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function SerialsFilePicker({
  file,
  onPicked,
}: {
  file: { name: string; serials: string[] } | null;
  onPicked: (file: { name: string; serials: string[] } | null) => void;
}) {
  async function pick(e: React.ChangeEvent<HTMLInputElement>) {
    const chosen = e.target.files?.[0];
    onPicked(chosen ? { name: chosen.name, serials: serialsFromText(await chosen.text()) } : null);
  }
  return (
    <label>
      <span>Serials file (optional)</span>
      <input type="file" accept=".txt,.csv,text/plain" onChange={(e) => void pick(e)} />
      {file ? (
        <span className="muted" data-testid="serials-file-summary">
          {file.serials.length} serial{file.serials.length === 1 ? '' : 's'} from {file.name}
          {file.serials.length ? `: ${file.serials[0]} … ${file.serials.at(-1)}` : ''}
        </span>
      ) : null}
    </label>
  );
}
