import { useState } from 'react';

/** A certificate or key: a path on the station, or a file picked here (its text is sent). */
export interface PemValue {
  path: string;
  pem: string | null;
  fileName: string | null;
}

export const emptyPem: PemValue = { path: '', pem: null, fileName: null };

/** The request fields for one PEM: `{ certPath }` or `{ certPem }`, or nothing. */
export function pemRequest<P extends string, T extends string>(value: PemValue, pathKey: P, pemKey: T) {
  if (value.pem) return { [pemKey]: value.pem } as { [K in T]?: string };
  if (value.path.trim()) return { [pathKey]: value.path.trim() } as { [K in P]?: string };
  return {};
}

export function PemField(props: {
  label: string;
  value: PemValue;
  onChange: (v: PemValue) => void;
  placeholder?: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const { value } = props;
  return (
    <label className="pem-field">
      <span>{props.label}</span>
      {value.fileName ? (
        <span className="picked">
          {value.fileName}{' '}
          <button type="button" onClick={() => props.onChange(emptyPem)}>
            Clear
          </button>
        </span>
      ) : (
        <input
          value={value.path}
          spellCheck={false}
          placeholder={props.placeholder ?? 'path on this station'}
          onChange={(e) => props.onChange({ ...value, path: e.target.value })}
        />
      )}
      <input
        type="file"
        aria-label={`Pick ${props.label}`}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          void file.text().then(
            (pem) => {
              setError(null);
              props.onChange({ path: '', pem, fileName: file.name });
            },
            () => setError(`Cannot read ${file.name}.`),
          );
        }}
      />
      {error ? <span className="muted">{error}</span> : null}
    </label>
  );
}
