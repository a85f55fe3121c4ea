import { useEffect, useState } from 'react';
import type { LabelElementDraft, LabelTemplateDraft } from '../../../../electron/shared/contract';

/** A number in mm (or dots) that may be typed half-way ("1.") without being overwritten. */
function NumberField({
  label,
  value,
  step = 0.1,
  onChange,
}: {
  label: string;
  value: number;
  step?: number;
  onChange: (n: number) => void;
}) {
  const [text, setText] = useState(String(value));
  useEffect(() => {
    setText((t) => (Number(t) === value ? t : String(value)));
  }, [value]);
  return (
    <label>
      <span>{label}</span>
      <input
        type="number"
        step={step}
        min={0}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          const n = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(n)) onChange(n);
        }}
        size={6}
      />
    </label>
  );
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function LabelInspector({
  draft,
  onChange,
}: {
  draft: LabelTemplateDraft;
  onChange: (patch: Partial<LabelTemplateDraft>) => void;
}) {
  return (
    <fieldset className="form inspector" aria-label="Label size">
      <legend>Label {draft.name}</legend>
      <label>
        <span>Template name (a new name saves a new template)</span>
        <input value={draft.name} onChange={(e) => onChange({ name: e.target.value.trim() })} size={20} />
      </label>
      <NumberField label="Width (mm)" value={draft.width} onChange={(width) => onChange({ width })} />
      <NumberField label="Height (mm)" value={draft.height} onChange={(height) => onChange({ height })} />
      <label>
        <span>Printer dpi</span>
        <select value={draft.dpi} onChange={(e) => onChange({ dpi: Number(e.target.value) as 203 | 300 })}>
          <option value={203}>203</option>
          <option value={300}>300</option>
        </select>
      </label>
      <label>
        <span>Description</span>
        <input value={draft.description} onChange={(e) => onChange({ description: e.target.value })} />
      </label>
      <label>
        <span>Extra fields (comma-separated)</span>
        <input value={draft.fields.join(', ')} onChange={(e) => onChange({ fields: list(e.target.value) })} />
      </label>
      <label>
        <span>Claim-ID groups</span>
        <input
          value={draft.claimIdGroups.join(', ')}
          onChange={(e) =>
            onChange({
              claimIdGroups: list(e.target.value)
                .map(Number)
                .filter((n) => n > 0),
            })
          }
          placeholder="4, 4, 2"
        />
      </label>
    </fieldset>
  );
}

export function ElementInspector({
  element: e,
  name,
  images,
  onChange,
  onRemove,
}: {
  element: LabelElementDraft;
  name: string;
  images: string[];
  onChange: (patch: Partial<LabelElementDraft>) => void;
  onRemove: () => void;
}) {
  return (
    <fieldset className="form inspector" aria-label="Selected element">
      <legend>{name}</legend>
      <NumberField label="X (mm)" value={e.x} onChange={(x) => onChange({ x })} />
      <NumberField label="Y (mm)" value={e.y} onChange={(y) => onChange({ y })} />
      {e.type === 'qr' ? (
        <>
          <NumberField label="Size (mm)" value={e.size} onChange={(size) => onChange({ size })} />
          <label>
            <span>QR payload template</span>
            <input value={e.payload} onChange={(ev) => onChange({ payload: ev.target.value })} size={30} />
          </label>
          <label>
            <span>Error correction</span>
            <select
              value={e.errorCorrection}
              onChange={(ev) => onChange({ errorCorrection: ev.target.value as 'L' | 'M' | 'Q' | 'H' })}
            >
              {['L', 'M', 'Q', 'H'].map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </label>
          <NumberField
            label="Quiet zone (modules)"
            value={e.quietZone}
            step={1}
            onChange={(quietZone) => onChange({ quietZone: Math.round(quietZone) })}
          />
        </>
      ) : e.type === 'text' ? (
        <>
          <NumberField
            label="Line height (mm)"
            value={e.height}
            onChange={(height) => onChange({ height })}
          />
          <label>
            <span>Text</span>
            <input value={e.value} onChange={(ev) => onChange({ value: ev.target.value })} size={30} />
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={e.mono}
              onChange={(ev) => onChange({ mono: ev.target.checked })}
            />
            <span>Monospace</span>
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={e.bold}
              onChange={(ev) => onChange({ bold: ev.target.checked })}
            />
            <span>Bold</span>
          </label>
        </>
      ) : (
        <>
          <NumberField label="Width (mm)" value={e.width} onChange={(width) => onChange({ width })} />
          <NumberField label="Height (mm)" value={e.height} onChange={(height) => onChange({ height })} />
          <label>
            <span>Logo file</span>
            <select value={e.file} onChange={(ev) => onChange({ file: ev.target.value })}>
              {images.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </label>
        </>
      )}
      <p className="muted">
        Placeholders: {'{{id}}'}, {'{{idGrouped}}'}, {'{{product}}'}, {'{{model}}'}, {'{{serial}}'},{' '}
        {'{{created}}'}, {'{{orderId}}'} and the extra fields.
      </p>
      <button type="button" onClick={onRemove}>
        Remove element
      </button>
    </fieldset>
  );
}
