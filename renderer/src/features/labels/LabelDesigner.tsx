import { useEffect, useRef, useState } from 'react';
import type {
  ErrorInfo,
  LabelDraftReport,
  LabelElementDraft,
  LabelRasterReport,
  LabelTemplateDraft,
} from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { ElementInspector, LabelInspector } from './DesignerInspector';

const RENDER_DELAY_MS = 120;
const round = (mm: number) => Math.max(0, Math.round(mm * 10) / 10);

export function elementName(e: LabelElementDraft, i: number): string {
  if (e.type === 'qr') return `QR code ${i + 1}`;
  if (e.type === 'image') return `Logo ${i + 1} (${e.file})`;
  return `Text ${i + 1}: ${e.value}`;
}

/** Design a label template: elements placed in mm by drag or number, previewed as it prints. */
export function LabelDesigner({ onSaved }: { onSaved: () => void }) {
  const templates = useOperation(() => api.labels.listTemplates(), []);
  const [name, setName] = useState('');
  const [opened, setOpened] = useState<LabelDraftReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const chosen = name || templates.value?.templates[0]?.name || '';

  async function open(e: React.FormEvent) {
    e.preventDefault();
    const result = await api.labels.openDraft({ name: chosen });
    setError(result.ok ? null : result.error);
    setOpened(result.ok ? result.value : null);
  }

  return (
    <div className="panel label-designer">
      <h2>Design a template</h2>
      <form className="form" onSubmit={(e) => void open(e)} aria-label="Open a template to design">
        <label>
          <span>Template to start from</span>
          <select value={chosen} onChange={(e) => setName(e.target.value)}>
            {(templates.value?.templates ?? []).map((t) => (
              <option key={t.name} value={t.name}>
                {t.name} (version {t.version}, {t.source})
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Open in designer</button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
      {opened ? (
        <DesignerEditor
          key={opened.versionTag}
          opened={opened}
          onSaved={() => {
            templates.reload();
            onSaved();
          }}
        />
      ) : null}
    </div>
  );
}

function DesignerEditor({ opened, onSaved }: { opened: LabelDraftReport; onSaved: () => void }) {
  const [draft, setDraft] = useState<LabelTemplateDraft>(opened.template);
  const [selected, setSelected] = useState<number | null>(null);
  const [raster, setRaster] = useState<LabelRasterReport | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [zoom, setZoom] = useState(3);
  const [images, setImages] = useState(opened.images);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      void api.labels.renderDraft({ template: draft }).then((r) => {
        if (mine !== seq.current) return;
        setError(r.ok ? null : r.error);
        if (r.ok) setRaster(r.value);
      });
    }, RENDER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft]);

  const updateElement = (i: number, patch: Partial<LabelElementDraft>) =>
    setDraft((d) => ({
      ...d,
      elements: d.elements.map((e, k) => (k === i ? ({ ...e, ...patch } as LabelElementDraft) : e)),
    }));

  function add(kind: LabelElementDraft['type']) {
    const element: LabelElementDraft =
      kind === 'qr'
        ? { type: 'qr', x: 1, y: 1, size: 15, payload: '{{id}}', errorCorrection: 'M', quietZone: 2 }
        : kind === 'text'
          ? { type: 'text', x: 1, y: 1, height: 3, value: '{{product}}', mono: false, bold: false }
          : { type: 'image', x: 1, y: 1, width: 8, height: 8, file: images[0] ?? 'logo.png' };
    setDraft((d) => ({ ...d, elements: [...d.elements, element] }));
    setSelected(draft.elements.length);
  }

  async function upload(e: React.ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    const r = await api.labels.addImage({ fileName: file.name, png: btoa(binary) });
    setError(r.ok ? null : r.error);
    if (r.ok) {
      setImages(r.value.images);
      setDraft((d) => ({
        ...d,
        elements: [...d.elements, { type: 'image', x: 1, y: 1, width: 8, height: 8, file: file.name }],
      }));
      setSelected(draft.elements.length);
      setNote(`Logo ${file.name} added.`);
    }
  }

  async function save() {
    const r = await api.labels.saveDraft({ template: draft });
    setError(r.ok ? null : r.error);
    if (r.ok) {
      setNote(`Saved ${r.value.name} version ${r.value.version} (${r.value.versionTag}).`);
      onSaved();
    }
  }

  async function testPrint() {
    const r = await api.labels.printDraft({ template: draft });
    setError(r.ok ? null : r.error);
    if (r.ok) {
      setNote(`Test label printed on ${r.value.printer}.`);
      onSaved();
    }
  }

  const current = selected !== null ? draft.elements[selected] : undefined;
  return (
    <div className="designer" aria-label="Label designer" role="region">
      <div className="designer-toolbar">
        <button type="button" onClick={() => add('text')}>
          Add text
        </button>
        <button type="button" onClick={() => add('qr')}>
          Add QR code
        </button>
        <button type="button" onClick={() => add('image')} disabled={images.length === 0}>
          Add logo
        </button>
        <label>
          <span>Upload a logo (PNG)</span>
          <input type="file" accept="image/png" onChange={(e) => void upload(e)} />
        </label>
        <label>
          <span>Zoom</span>
          <select value={zoom} onChange={(e) => setZoom(Number(e.target.value))}>
            <option value={1}>true size</option>
            <option value={2}>2×</option>
            <option value={3}>3×</option>
            <option value={4}>4×</option>
          </select>
        </label>
        <button type="button" onClick={() => void testPrint()}>
          Test print
        </button>
        <button type="button" onClick={() => void save()}>
          Save as new version
        </button>
      </div>
      {note ? <p role="status">{note}</p> : null}
      {error ? <ErrorNote error={error} /> : null}
      <div className="designer-body">
        <LabelCanvas
          draft={draft}
          raster={raster}
          zoom={zoom}
          selected={selected}
          onSelect={setSelected}
          onMove={(i, x, y) => updateElement(i, { x: round(x), y: round(y) })}
        />
        <div className="designer-side">
          <LabelInspector draft={draft} onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))} />
          {current && selected !== null ? (
            <ElementInspector
              element={current}
              name={elementName(current, selected)}
              images={images}
              onChange={(patch) => updateElement(selected, patch)}
              onRemove={() => {
                setDraft((d) => ({ ...d, elements: d.elements.filter((_, k) => k !== selected) }));
                setSelected(null);
              }}
            />
          ) : (
            <p className="muted">Click an element on the label to place it by number.</p>
          )}
        </div>
      </div>
    </div>
  );
}

/**
 * The print raster at true size (times the zoom), with a box over each element: drag it, or focus
 * it and use the arrow keys.
 */
function LabelCanvas({
  draft,
  raster,
  zoom,
  selected,
  onSelect,
  onMove,
}: {
  draft: LabelTemplateDraft;
  raster: LabelRasterReport | null;
  zoom: number;
  selected: number | null;
  onSelect: (i: number) => void;
  onMove: (i: number, x: number, y: number) => void;
}) {
  const paper = useRef<HTMLDivElement>(null);
  const drag = useRef<{ i: number; x0: number; y0: number; ex: number; ey: number } | null>(null);
  const mmPerPx = () => draft.width / (paper.current?.getBoundingClientRect().width || 1);

  return (
    <figure className="designer-figure">
      <div
        ref={paper}
        className="label-paper designer-paper"
        style={{ width: `calc(${draft.width}mm * ${zoom})`, height: `calc(${draft.height}mm * ${zoom})` }}
      >
        {raster ? (
          <img
            src={`data:image/png;base64,${raster.png}`}
            alt={`Label preview at ${raster.dpi} dpi`}
            data-testid="designer-preview"
            className="raster"
            draggable={false}
          />
        ) : null}
        {raster?.boxes.map((b, i) => {
          const e = draft.elements[i];
          if (!e) return null;
          return (
            <button
              key={i}
              type="button"
              className={i === selected ? 'element-box selected' : 'element-box'}
              aria-label={elementName(e, i)}
              aria-pressed={i === selected}
              style={{
                left: `${(b.x / raster.widthMm) * 100}%`,
                top: `${(b.y / raster.heightMm) * 100}%`,
                width: `${(b.width / raster.widthMm) * 100}%`,
                height: `${(b.height / raster.heightMm) * 100}%`,
              }}
              onPointerDown={(ev) => {
                onSelect(i);
                ev.currentTarget.setPointerCapture(ev.pointerId);
                drag.current = { i, x0: ev.clientX, y0: ev.clientY, ex: e.x, ey: e.y };
              }}
              onPointerMove={(ev) => {
                const d = drag.current;
                if (!d || d.i !== i) return;
                const k = mmPerPx();
                onMove(i, d.ex + (ev.clientX - d.x0) * k, d.ey + (ev.clientY - d.y0) * k);
              }}
              onPointerUp={() => {
                drag.current = null;
              }}
              onKeyDown={(ev) => {
                // Arrow keys nudge the element: 0.1 mm, or 1 mm with Shift.
                const step = ev.shiftKey ? 1 : 0.1;
                const d = {
                  ArrowLeft: [-step, 0],
                  ArrowRight: [step, 0],
                  ArrowUp: [0, -step],
                  ArrowDown: [0, step],
                }[ev.key];
                if (!d) return;
                ev.preventDefault();
                onSelect(i);
                onMove(i, e.x + d[0]!, e.y + d[1]!);
              }}
            />
          );
        })}
      </div>
      <figcaption>
        {raster ? (
          <>
            {raster.widthMm} x {raster.heightMm} mm at {raster.dpi} dpi ({raster.widthDots} x{' '}
            {raster.heightDots} dots), as printed · QR code: <span className="mono">{raster.payload}</span>
          </>
        ) : (
          'Rendering…'
        )}
      </figcaption>
    </figure>
  );
}
