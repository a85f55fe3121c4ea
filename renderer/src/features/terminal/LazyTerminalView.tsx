import { lazy, Suspense } from 'react';

// xterm is the renderer's largest dependency: its chunk loads the first time a terminal opens.
const View = lazy(() => import('./TerminalView').then((m) => ({ default: m.TerminalView })));

export function TerminalView(props: { sessionId: string; title: string }) {
  return (
    <Suspense fallback={<p className="muted">Opening the terminal…</p>}>
      <View {...props} />
    </Suspense>
  );
}
