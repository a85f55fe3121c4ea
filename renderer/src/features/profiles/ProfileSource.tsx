import type { ProfileProblemReport } from '../../../../electron/shared/contract';

/** The profile's text with line numbers; each problem is shown under its line, pointing at its column. */
export function ProfileSource({ text, problems }: { text: string; problems: ProfileProblemReport[] }) {
  const lines = text.replace(/\n$/, '').split('\n');
  return (
    <div className="code source" role="region" aria-label="Profile source">
      {lines.map((line, i) => {
        const here = problems.filter((p) => p.line === i + 1);
        return (
          <div key={i} className={here.length ? 'source-line has-problem' : 'source-line'} data-line={i + 1}>
            <span className="line-no">{i + 1}</span>
            <span className="line-text">{line || ' '}</span>
            {here.map((p, k) => (
              <div key={k} className="line-problem" role="note">
                <span className="caret">{' '.repeat(Math.max(0, p.column - 1))}^</span> {p.message}
              </div>
            ))}
          </div>
        );
      })}
    </div>
  );
}
