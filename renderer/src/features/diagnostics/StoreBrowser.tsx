import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  DeviceItemRow,
  DeviceItemSort,
  DeviceStoreReport,
  DeviceValueType,
  ErrorInfo,
} from '../../../../electron/shared/contract';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';
import { download } from './files';
import { OpenStoreForm } from './OpenStoreForm';

const PAGE = 200;
const ROW_HEIGHT = 40;

/** A device's local store: models on the left, its items in a virtualized, searchable table. */
export function StoreBrowser() {
  const [source, setSource] = useState<DeviceStoreReport | null>(null);
  if (!source) return <OpenStoreForm onOpened={setSource} />;
  return <OpenStore key={source.sourceId} initial={source} onClose={() => setSource(null)} />;
}

function OpenStore({ initial, onClose }: { initial: DeviceStoreReport; onClose: () => void }) {
  const [report, setReport] = useState(initial);
  const [model, setModel] = useState(
    initial.models.find((m) => m.name === 'Store')?.name ?? initial.models[0]?.name ?? 'Store',
  );
  // A search is kept per model (switching back finds it again), and the screen says so.
  const [searches, setSearches] = useState<Record<string, string>>({});
  const search = searches[model] ?? '';
  const setSearch = (text: string) => setSearches((s) => ({ ...s, [model]: text }));
  const [typeFilter, setTypeFilter] = useState('');
  const [detail, setDetail] = useState<DeviceItemRow | null>(null);
  const [sort, setSort] = useState<{ by: DeviceItemSort; descending: boolean }>({
    by: 'key',
    descending: false,
  });
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<DeviceItemRow | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const refresh = useCallback(() => {
    void api.devstore.list(undefined).then((r) => {
      const mine = r.ok ? r.value.find((s) => s.sourceId === initial.sourceId) : null;
      if (mine) setReport(mine);
    });
    setVersion((v) => v + 1);
  }, [initial.sourceId]);

  useEffect(() => {
    const off = api.on('deviceStoreChanged', (e) => {
      if (e.sourceId === initial.sourceId) refresh();
    });
    // Changes may have landed between the open and this subscription (a file read in the background).
    refresh();
    return off;
  }, [initial.sourceId, refresh]);

  const searchBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // "/" focuses the search from anywhere on the screen.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '/' && !(document.activeElement instanceof HTMLInputElement)) {
        e.preventDefault();
        searchBox.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  async function exportAs(format: 'json' | 'csv') {
    const r = await api.devstore.export({ sourceId: report.sourceId, model, format });
    if (r.ok) download(r.value.fileName, r.value.mediaType, r.value.text);
    else setError(r.error);
  }

  return (
    <div className="store-browser">
      <header className="store-header">
        <div>
          <h2>{report.label}</h2>
          <p className="muted">
            {report.kind === 'file'
              ? `Copied database, ${report.byteOrder}, ${report.journalRecords ?? 0} journal records replayed. Read-only.`
              : report.kind === 'shell'
                ? "Read over the unit's serial console. Read-only."
                : report.kind === 'esp32'
                  ? "Read from the ESP32's storage partition through its bootloader; the unit was reset back into its firmware. Read-only."
                  : report.kind === 'framed'
                    ? "Over the serial port's framed protocol: values can be changed (read back from the unit)."
                    : "Live over MQTT: Lineside is acting as this device's cloud. Values can be changed."}
          </p>
        </div>
        <div className="store-actions">
          <button onClick={() => void exportAs('json')}>Export JSON</button>
          <button onClick={() => void exportAs('csv')}>Export CSV</button>
          <button
            onClick={() => {
              void api.devstore.close({ sourceId: report.sourceId }).then(onClose);
            }}
          >
            Close
          </button>
        </div>
      </header>
      {error ? <ErrorNote error={error} /> : null}
      {report.error ? <ErrorNote error={report.error} /> : null}
      {report.notices.map((notice) => (
        <p key={notice} className="store-notice" role="note">
          {notice}
        </p>
      ))}
      {report.kind === 'mqtt' ? (
        <AskForKeys
          sourceId={report.sourceId}
          onAsked={(r) => {
            setReport(r);
            refresh();
          }}
          onError={setError}
        />
      ) : null}
      {!report.complete && !report.error ? (
        <p className="reading" aria-live="polite">
          Reading the database… {report.models.reduce((n, m) => n + m.count, 0).toLocaleString()} items so far
        </p>
      ) : null}
      <div className="store-body">
        <nav aria-label="Models" className="models">
          <ul>
            {report.models.map((m) => (
              <li key={m.name}>
                <button aria-current={m.name === model ? 'true' : undefined} onClick={() => setModel(m.name)}>
                  {m.name} <span className="count">{m.count.toLocaleString()}</span>
                  {searches[m.name] ? (
                    <span className="model-search" title={`Search kept for ${m.name}`}>
                      {' '}
                      · “{searches[m.name]}”
                    </span>
                  ) : null}
                </button>
              </li>
            ))}
          </ul>
          {report.models.length === 0 ? <p className="muted">No items yet.</p> : null}
        </nav>
        <div className="items-pane">
          <div className="items-filters">
            <label className="search store-search">
              <span>Search keys and values in {model}</span>
              <input
                ref={searchBox}
                aria-keyshortcuts="/"
                value={search}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => setSearch(e.target.value)}
              />
            </label>
            <label>
              <span>Type</span>
              <select aria-label="Type" value={typeFilter} onChange={(e) => setTypeFilter(e.target.value)}>
                <option value="">Any type</option>
                {['string', 'number', 'boolean', 'object'].map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </label>
          </div>
          <p className="muted search-hint" data-testid="search-hint">
            {Object.entries(searches).some(([, v]) => v)
              ? `Each model keeps its own search: ${Object.entries(searches)
                  .filter(([, v]) => v)
                  .map(([m, v]) => `${m} “${v}”`)
                  .join(', ')}.`
              : 'Each model keeps its own search.'}
          </p>
          <ItemsTable
            sourceId={report.sourceId}
            model={model}
            search={search}
            type={typeFilter}
            onOpen={setDetail}
            sort={sort}
            version={version}
            onSort={(by) => setSort((s) => ({ by, descending: s.by === by ? !s.descending : false }))}
            onEdit={report.writable && model === 'Store' ? setEditing : null}
          />
        </div>
      </div>
      {detail ? (
        <ItemDetail
          sourceId={report.sourceId}
          row={detail}
          onClose={() => setDetail(null)}
          onEdit={
            report.writable && detail.model === 'Store'
              ? () => {
                  setEditing(detail);
                  setDetail(null);
                }
              : null
          }
        />
      ) : null}
      {editing ? (
        <EditItem
          sourceId={report.sourceId}
          row={editing}
          label={report.label}
          onDone={() => {
            setEditing(null);
            refresh();
          }}
        />
      ) : null}
      {report.kind === 'mqtt' ? <Traffic sourceId={report.sourceId} version={version} /> : null}
    </div>
  );
}

/** An idle device sends none of its Store by itself: ask it for named keys (ioto-contracts §5). */
function AskForKeys(props: {
  sourceId: string;
  onAsked: (report: DeviceStoreReport) => void;
  onError: (error: ErrorInfo | null) => void;
}) {
  const [keys, setKeys] = useState('');
  const [busy, setBusy] = useState(false);
  const list = keys
    .split(/[\s,]+/)
    .map((k) => k.trim())
    .filter(Boolean);
  return (
    <form
      className="form inline"
      aria-label="Ask the device for keys"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        void api.devstore.askItems({ sourceId: props.sourceId, keys: list }).then((r) => {
          setBusy(false);
          if (r.ok) {
            props.onError(null);
            props.onAsked(r.value.report);
          } else props.onError(r.error);
        });
      }}
    >
      <label>
        <span>Store keys to ask for</span>
        <input
          value={keys}
          spellCheck={false}
          placeholder="mode, temp.limit"
          title="Only keys the device has: a key it lacks is created empty for a moment, then removed again."
          onChange={(e) => setKeys(e.target.value)}
        />
      </label>
      <button type="submit" disabled={busy || list.length === 0}>
        {busy ? 'Asking…' : 'Ask the device'}
      </button>
    </form>
  );
}

const COLUMNS: { by: DeviceItemSort; label: string; width: number }[] = [
  { by: 'key', label: 'Key', width: 260 },
  { by: 'value', label: 'Value', width: 420 },
  { by: 'type', label: 'Type', width: 110 },
  { by: 'updated', label: 'Updated', width: 240 },
];
const MIN_COLUMN = 60;

function ItemsTable(props: {
  sourceId: string;
  model: string;
  search: string;
  type: string;
  onOpen: (row: DeviceItemRow) => void;
  sort: { by: DeviceItemSort; descending: boolean };
  version: number;
  onSort: (by: DeviceItemSort) => void;
  onEdit: ((row: DeviceItemRow) => void) | null;
}) {
  const { sourceId, model, search, sort, version, type } = props;
  const [widths, setWidths] = useState(() => COLUMNS.map((c) => c.width));
  const resize = (index: number, delta: number) =>
    setWidths((w) => w.map((x, i) => (i === index ? Math.max(MIN_COLUMN, x + delta) : x)));
  const [total, setTotal] = useState(0);
  const [pages, setPages] = useState<Map<number, DeviceItemRow[]>>(new Map());
  const [error, setError] = useState<ErrorInfo | null>(null);
  const asked = useRef(new Set<number>());
  const scroller = useRef<HTMLDivElement>(null);
  const generation = useRef(0);

  const load = useCallback(
    (page: number, gen: number) => {
      asked.current.add(page);
      void api.devstore
        .listItems({
          sourceId,
          model,
          search,
          ...(type ? { type } : {}),
          sort: sort.by,
          descending: sort.descending,
          offset: page * PAGE,
          limit: PAGE,
        })
        .then((r) => {
          if (gen !== generation.current) return;
          if (!r.ok) return setError(r.error);
          setError(null);
          setTotal(r.value.total);
          setPages((p) => new Map(p).set(page, r.value.items));
        });
    },
    [sourceId, model, search, type, sort.by, sort.descending],
  );

  useEffect(() => {
    const gen = ++generation.current;
    asked.current = new Set();
    setPages(new Map());
    load(0, gen);
  }, [load, version]);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const visible = virtualizer.getVirtualItems();
  const first = visible[0]?.index ?? 0;
  const last = visible.at(-1)?.index ?? 0;
  useEffect(() => {
    for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++)
      if (!asked.current.has(p)) load(p, generation.current);
  }, [first, last, load]);

  const header = (by: DeviceItemSort, label: string, index: number) => (
    <div
      role="columnheader"
      aria-sort={sort.by === by ? (sort.descending ? 'descending' : 'ascending') : 'none'}
      className={`col-${by}`}
    >
      <button onClick={() => props.onSort(by)}>
        {label}
        {sort.by === by ? (sort.descending ? ' ▼' : ' ▲') : ''}
      </button>
      <ColumnResizer label={label} width={widths[index]!} onResize={(d) => resize(index, d)} />
    </div>
  );

  return (
    <>
      {error ? <ErrorNote error={error} /> : null}
      <p className="count" aria-live="polite">
        {total.toLocaleString()} {total === 1 ? 'item' : 'items'}
      </p>
      <div
        role="table"
        aria-label={`${model} items`}
        aria-rowcount={total + 1}
        className="items-table"
        style={{ ['--columns' as string]: widths.map((w) => `${w}px`).join(' ') }}
      >
        <div role="rowgroup" className="items-head">
          <div role="row" className="items-row">
            {COLUMNS.map((c, i) => (
              <span key={c.by} style={{ display: 'contents' }}>
                {header(c.by, c.label, i)}
              </span>
            ))}
          </div>
        </div>
        <div ref={scroller} role="rowgroup" className="items-scroll">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {visible.map((v) => {
              const row = pages.get(Math.floor(v.index / PAGE))?.[v.index % PAGE];
              const edit = props.onEdit;
              return (
                <div
                  key={v.key}
                  role="row"
                  aria-rowindex={v.index + 2}
                  className={`items-row${row ? ' openable' : ''}`}
                  tabIndex={row ? 0 : -1}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW_HEIGHT,
                    transform: `translateY(${v.start}px)`,
                  }}
                  onClick={() => row && props.onOpen(row)}
                  onDoubleClick={() => row && edit?.(row)}
                  onKeyDown={(e) => e.key === 'Enter' && row && props.onOpen(row)}
                >
                  {row ? (
                    <>
                      <div role="cell" className="col-key">
                        {row.key}
                      </div>
                      <div role="cell" className="col-value" title={row.value}>
                        {row.value}
                      </div>
                      <div role="cell" className="col-type">
                        {row.type}
                      </div>
                      <div role="cell" className="col-updated">
                        {row.updated ?? ''}
                      </div>
                    </>
                  ) : (
                    <div role="cell" className="muted">
                      Loading…
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      {props.onEdit ? (
        <p className="muted">Click a row for the whole item; double-click it to change its value.</p>
      ) : null}
    </>
  );
}

/** A drag handle on a column's edge (arrow keys work too). */
function ColumnResizer({
  label,
  width,
  onResize,
}: {
  label: string;
  width: number;
  onResize: (delta: number) => void;
}) {
  return (
    <span
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize ${label} column`}
      aria-valuenow={width}
      tabIndex={0}
      className="column-resizer"
      onPointerDown={(e) => {
        e.preventDefault();
        e.stopPropagation();
        let last = e.clientX;
        const move = (m: PointerEvent) => {
          onResize(m.clientX - last);
          last = m.clientX;
        };
        const up = () => {
          window.removeEventListener('pointermove', move);
          window.removeEventListener('pointerup', up);
        };
        window.addEventListener('pointermove', move);
        window.addEventListener('pointerup', up);
      }}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft') onResize(-20);
        else if (e.key === 'ArrowRight') onResize(20);
        else return;
        e.preventDefault();
      }}
    />
  );
}

/** One item with every field, pretty-printed, with a copy button. */
function ItemDetail({
  sourceId,
  row,
  onClose,
  onEdit,
}: {
  sourceId: string;
  row: DeviceItemRow;
  onClose: () => void;
  onEdit: (() => void) | null;
}) {
  const item = useOperation(
    () => api.devstore.getItem({ sourceId, model: row.model, sk: row.sk }),
    [sourceId, row.model, row.sk],
  );
  const [copied, setCopied] = useState(false);
  const text = item.value ? JSON.stringify(item.value.fields, null, 2) : '';
  return (
    <aside className="item-detail" aria-label={`Item ${row.key}`}>
      <header>
        <h3 className="mono">{row.key}</h3>
        <button
          disabled={!text}
          onClick={() =>
            void navigator.clipboard?.writeText(text).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied' : 'Copy JSON'}
        </button>
        {onEdit ? <button onClick={onEdit}>Change value</button> : null}
        <button onClick={onClose}>Close</button>
      </header>
      {item.error ? <ErrorNote error={item.error} /> : null}
      <pre className="item-json" data-testid="item-json">
        {text}
      </pre>
    </aside>
  );
}

const valueTypes: DeviceValueType[] = ['string', 'number', 'boolean', 'object'];

function EditItem({
  sourceId,
  row,
  label,
  onDone,
}: {
  sourceId: string;
  row: DeviceItemRow;
  label: string;
  onDone: () => void;
}) {
  const [value, setValue] = useState(row.value);
  const [type, setType] = useState<DeviceValueType>(
    (valueTypes as string[]).includes(row.type) ? (row.type as DeviceValueType) : 'string',
  );
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  async function save() {
    setBusy(true);
    const r = await api.devstore.setItem({ sourceId, key: row.key, value, type });
    setBusy(false);
    if (r.ok) onDone();
    else {
      setConfirming(false);
      setError(r.error);
    }
  }

  return (
    <div role="dialog" aria-label={`Change ${row.key}`} className="edit-item">
      <h3>Change {row.key}</h3>
      {confirming ? (
        <>
          <p>
            Set <strong>{row.key}</strong> from <code>{row.value}</code> to <code>{value}</code> ({type}) on{' '}
            {label}? The change is sent to the device and recorded in the station's event log.
          </p>
          <div className="actions">
            <button autoFocus disabled={busy} onClick={() => void save()}>
              {busy ? 'Waiting for the device…' : 'Confirm change'}
            </button>
            <button disabled={busy} onClick={() => setConfirming(false)}>
              Back
            </button>
          </div>
        </>
      ) : (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            setConfirming(true);
          }}
        >
          <label>
            <span>New value</span>
            <input autoFocus value={value} spellCheck={false} onChange={(e) => setValue(e.target.value)} />
          </label>
          <label>
            <span>Type</span>
            <select value={type} onChange={(e) => setType(e.target.value as DeviceValueType)}>
              {valueTypes.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <div className="actions">
            <button type="submit">Save to device</button>
            <button type="button" onClick={onDone}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {error ? <ErrorNote error={error} /> : null}
    </div>
  );
}

function Traffic({ sourceId, version }: { sourceId: string; version: number }) {
  const traffic = useOperation(() => api.devstore.getTraffic({ sourceId }), [sourceId, version]);
  return (
    <details className="traffic" open>
      <summary>Device topics (live)</summary>
      <ol aria-label="Device topics">
        {[...(traffic.value ?? [])]
          .reverse()
          .slice(0, 100)
          .map((t, i) => (
            <li key={`${t.at}-${i}`} className={`traffic-${t.direction}`}>
              <span className="muted">{t.at.slice(11, 23)}</span> {t.direction === 'in' ? '←' : '→'}{' '}
              <code>{t.topic}</code> <code className="payload">{t.payload}</code>
            </li>
          ))}
      </ol>
    </details>
  );
}
