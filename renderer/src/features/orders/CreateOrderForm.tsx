import { useState } from 'react';
import type { ErrorInfo, InputOf, OrderStartedReport } from '../../../../electron/shared/contract';
import { createOrderRequest } from '../../../../electron/shared/contract/orders';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { FieldProblem, OtherProblems } from '../../components/FieldProblem';
import { checkRequest, fieldAria, type FieldProblems } from '../../lib/validate';

const ID = 'create-order';
// Fields with a note beside them; any other problem is listed under the form.
const SHOWN = ['quantity', 'orderId', 'serials.prefix', 'serials.start', 'serials.width'];

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
  const [serialsFile, setSerialsFile] = useState<{ name: string; serials: string[] } | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [problems, setProblems] = useState<FieldProblems>({});
  const [busy, setBusy] = useState(false);
  // The quantity is checked as it is typed, with the same schema, so a wrong count never reaches
  // the button; the other fields are checked when the form is sent.
  const typedQuantity = quantity.trim();
  const quantityCheck = typedQuantity
    ? checkRequest(createOrderRequest, { profile: '-', quantity: Number(typedQuantity) })
    : null;
  const quantityProblem =
    quantityCheck && !quantityCheck.ok ? (quantityCheck.problems.quantity ?? null) : null;
  const { quantity: _sentQuantityProblem, ...otherProblems } = problems;
  const shownProblems: FieldProblems = quantityProblem
    ? { ...otherProblems, quantity: quantityProblem }
    : otherProblems;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!typedQuantity || quantityProblem) return;
    const chosen = profile || valid[0]?.name || '';
    const req: InputOf<'createOrder'> = { profile: chosen, quantity: Number(quantity.trim()) };
    if (orderId.trim()) req.orderId = orderId.trim();
    if (serialsFile) req.serials = { kind: 'list', serials: serialsFile.serials };
    else if (serialPrefix.trim())
      req.serials = {
        kind: 'range',
        prefix: serialPrefix.trim(),
        start: Number(serialStart.trim()),
        width: Number(width.trim()),
      };
    // The schema dispatch applies, checked here first so each message shows beside its field.
    const checked = checkRequest(createOrderRequest, req);
    setProblems(checked.ok ? {} : checked.problems);
    if (!checked.ok) return;
    setBusy(true);
    const result = await api.orders.create(checked.request);
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
          {...fieldAria(shownProblems, 'quantity', ID)}
        />
      </label>
      <FieldProblem problems={shownProblems} field="quantity" idPrefix={ID} />
      <label>
        <span>Order ID (optional)</span>
        <input
          value={orderId}
          onChange={(e) => setOrderId(e.target.value)}
          placeholder="WO-…"
          size={16}
          {...fieldAria(shownProblems, 'orderId', ID)}
        />
      </label>
      <FieldProblem problems={shownProblems} field="orderId" idPrefix={ID} />
      <label>
        <span>Serial prefix (optional)</span>
        <input
          value={serialPrefix}
          onChange={(e) => setSerialPrefix(e.target.value)}
          size={8}
          {...fieldAria(shownProblems, 'serials.prefix', ID)}
        />
      </label>
      <FieldProblem problems={shownProblems} field="serials.prefix" idPrefix={ID} />
      <label>
        <span>First serial</span>
        <input
          inputMode="numeric"
          value={serialStart}
          onChange={(e) => setSerialStart(e.target.value)}
          size={7}
          {...fieldAria(shownProblems, 'serials.start', ID)}
        />
      </label>
      <FieldProblem problems={shownProblems} field="serials.start" idPrefix={ID} />
      <label>
        <span>Serial width (digits)</span>
        <input
          inputMode="numeric"
          value={width}
          onChange={(e) => setSerialWidth(e.target.value)}
          size={3}
          aria-label="Serial width"
          {...fieldAria(shownProblems, 'serials.width', ID)}
        />
      </label>
      <FieldProblem problems={shownProblems} field="serials.width" idPrefix={ID} />
      {preview ? (
        <p className="serial-preview" data-testid="serial-preview" aria-live="polite">
          Serials <span className="mono">{preview.first}</span> … <span className="mono">{preview.last}</span>
        </p>
      ) : null}
      <SerialsFilePicker file={serialsFile} onPicked={setSerialsFile} />
      <button
        type="submit"
        disabled={busy || !typedQuantity || quantityProblem !== null || valid.length === 0}
      >
        Create and reserve IDs
      </button>
      <OtherProblems problems={shownProblems} shown={SHOWN} />
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
