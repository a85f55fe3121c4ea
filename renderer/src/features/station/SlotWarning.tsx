/**
 * A warning on a card in one short sentence; the rest (paths, codes, addresses) one click away.
 * The station's warnings are "What happened: detail" or several sentences.
 */
export function splitWarning(text: string): { short: string; detail: string | null } {
  const colon = text.indexOf(': ');
  const stop = text.search(/[.!?]\s/);
  const cut = [colon, stop].filter((i) => i > 0).sort((a, b) => a - b)[0];
  if (cut === undefined || cut > 90) return { short: text, detail: null };
  const short = text.slice(0, cut).replace(/[:.]$/, '') + '.';
  return { short, detail: text };
}

export function SlotWarning({ text }: { text: string }) {
  const { short, detail } = splitWarning(text);
  if (!detail) return <p className="warn">{short}</p>;
  return (
    <details className="warn">
      <summary>{short}</summary>
      <p>{detail}</p>
    </details>
  );
}
