import { useEffect, useState } from 'react';
import { api } from '../../api';
import { useOperation } from '../../api/useOperation';
import { ErrorNote } from '../../components/ErrorNote';

/**
 * The label at true size for a template and a sample or real unit: the print renderer's raster at
 * the printer's dpi (what the bitmap font prints, not a browser font), shown in mm.
 */
export function LabelPreview() {
  const templates = useOperation(() => api.labels.listTemplates(), []);
  const settings = useOperation(() => api.labels.getSettings(), []);
  const units = useOperation(() => api.units.list({ limit: 100 }), []);
  const [template, setTemplate] = useState('');
  const [claimId, setClaimId] = useState('');
  useEffect(() => {
    if (!template && settings.value) setTemplate(settings.value.template);
  }, [settings.value, template]);
  const preview = useOperation(
    () => api.labels.preview({ ...(template ? { template } : {}), claimId: claimId || null }),
    [template, claimId],
  );
  const p = preview.value;
  return (
    <div className="panel label-preview">
      <h2>Preview</h2>
      <div className="form">
        <label>
          <span>Template</span>
          <select value={template} onChange={(e) => setTemplate(e.target.value)}>
            {(templates.value?.templates ?? []).map((t) => (
              <option key={t.name} value={t.name}>
                {t.name} ({t.widthMm} x {t.heightMm} mm, {t.dpi} dpi)
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Unit</span>
          <select value={claimId} onChange={(e) => setClaimId(e.target.value)}>
            <option value="">Sample unit</option>
            {(units.value?.items ?? []).map((u) => (
              <option key={u.claimId} value={u.claimId}>
                {u.claimId} ({u.state})
              </option>
            ))}
          </select>
        </label>
      </div>
      {templates.value?.broken.map((b) => (
        <ErrorNote key={b.name} error={{ code: 'validation', message: b.message, detail: b.file }} />
      ))}
      {preview.error ? <ErrorNote error={preview.error} /> : null}
      {p ? (
        <figure className="label-figure">
          <div className="label-paper" data-testid="label-preview">
            <img
              className="raster"
              src={`data:image/png;base64,${p.png}`}
              alt={`Label ${p.template} for ${p.claimId}`}
              style={{ width: `${p.widthMm}mm`, height: `${p.heightMm}mm` }}
            />
          </div>
          <figcaption>
            True size: {p.widthMm} x {p.heightMm} mm at {p.dpi} dpi · {p.versionTag}
            <br />
            QR code:{' '}
            <span className="mono" data-testid="label-payload">
              {p.payload}
            </span>
          </figcaption>
        </figure>
      ) : null}
    </div>
  );
}
