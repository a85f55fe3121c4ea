/**
 * The one table of media types: the files Lineside serves (the renderer over app:// and the
 * bridge), the files it exports (reports, unit lists, device stores) and the bodies of its HTTP
 * endpoints. Plain data, so core, the shell, the bridge and the renderer can all use it.
 */
export const MIME = {
  html: 'text/html',
  js: 'text/javascript',
  css: 'text/css',
  text: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  binary: 'application/octet-stream',
} as const;

export type MediaType = (typeof MIME)[keyof typeof MIME];

const BY_EXTENSION: Readonly<Record<string, MediaType>> = {
  '.html': MIME.html,
  '.js': MIME.js,
  '.css': MIME.css,
  '.txt': MIME.text,
  '.csv': MIME.csv,
  '.json': MIME.json,
  '.map': MIME.json,
  '.pdf': MIME.pdf,
  '.png': MIME.png,
  '.svg': MIME.svg,
  '.ico': MIME.ico,
  '.woff2': MIME.woff2,
};

/** A file's media type by its extension (`.html`, `report.csv`); unknown: application/octet-stream. */
export function mediaTypeOf(fileName: string): MediaType {
  const dot = fileName.lastIndexOf('.');
  return (dot >= 0 && BY_EXTENSION[fileName.slice(dot).toLowerCase()]) || MIME.binary;
}

/** The Content-Type header for a body of this type: text says it is UTF-8 (JSON is UTF-8 by definition, RFC 8259). */
export function contentType(type: MediaType): string {
  return type.startsWith('text/') ? `${type}; charset=utf-8` : type;
}

/** The Content-Type header a served file goes out with. */
export function contentTypeOf(fileName: string): string {
  return contentType(mediaTypeOf(fileName));
}
