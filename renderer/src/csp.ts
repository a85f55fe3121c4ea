/**
 * The one place for what the Content-Security-Policy asks of the renderer's code. Libraries that
 * inject <style> elements (CodeMirror) get the page's style nonce, if the policy uses one: a
 * `<meta name="csp-nonce" content="...">` next to the CSP meta (set by whoever serves the page).
 * With `style-src 'unsafe-inline'` there is no nonce and none is needed.
 */
export function styleNonce(): string | undefined {
  if (typeof document === 'undefined') return undefined;
  const meta = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]');
  return meta?.content || undefined;
}
