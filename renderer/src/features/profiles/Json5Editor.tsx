import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  HighlightStyle,
  bracketMatching,
  foldGutter,
  foldKeymap,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState, StateEffect, StateField, type Text } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  WidgetType,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { json5 } from 'codemirror-json5';
import { useEffect, useRef } from 'react';
import type { ProfileProblemReport } from '../../../../electron/shared/contract';
import { styleNonce } from '../../csp';

/** Colours from the app's theme variables, so the editor follows the light and dark themes. */
const highlight = HighlightStyle.define([
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--code-string, #9ae6b4)' },
  { tag: [tags.number, tags.bool, tags.null, tags.keyword], color: 'var(--code-literal, #fbd38d)' },
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: 'var(--code-key, #90cdf4)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--muted)', fontStyle: 'italic' },
  { tag: tags.invalid, color: 'var(--fail)' },
]);

/** A problem's line/column as a range in the document: from its column to the end of that word. */
export function problemRange(doc: Text, p: { line: number; column: number }): { from: number; to: number } {
  const line = doc.line(Math.min(Math.max(1, p.line), doc.lines));
  const from = Math.min(line.to, line.from + Math.max(0, p.column - 1));
  const rest = doc.sliceString(from, line.to);
  const word = /^(['"][^'"]*['"]?|[\w$.-]+)/.exec(rest)?.[0].length ?? 1;
  return { from, to: Math.min(line.to, from + Math.max(1, word)) };
}

/** The problem's sentence in a block under its line, pointing at its column (like a compiler). */
class ProblemWidget extends WidgetType {
  constructor(
    readonly column: number,
    readonly text: string,
  ) {
    super();
  }
  override eq(other: ProblemWidget) {
    return other.column === this.column && other.text === this.text;
  }
  toDOM() {
    const div = document.createElement('div');
    div.className = 'cm-problem-note';
    div.setAttribute('role', 'note');
    const caret = document.createElement('span');
    caret.className = 'caret';
    caret.textContent = `${' '.repeat(Math.max(0, this.column - 1))}^`;
    div.append(caret, ` ${this.text}`);
    return div;
  }
}

const setProblems = StateEffect.define<ProfileProblemReport[]>();
const problemNotes = StateField.define({
  create: () => Decoration.none,
  update(notes, tr) {
    let next = notes.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setProblems)) continue;
      const doc = tr.state.doc;
      next = Decoration.set(
        effect.value.map((p) => {
          const line = doc.line(Math.min(Math.max(1, p.line), doc.lines));
          return Decoration.widget({
            widget: new ProblemWidget(p.column, p.message),
            block: true,
            side: 1,
          }).range(line.to);
        }),
        true,
      );
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

function diagnostics(doc: Text, problems: ProfileProblemReport[]): Diagnostic[] {
  return problems.map((p) => ({
    ...problemRange(doc, p),
    severity: 'error',
    message: p.hint ? `${p.message} Fix: ${p.hint}` : p.message,
  }));
}

/**
 * The JSON5 code editor (CodeMirror 6): highlighting, folding, and the validator's problems shown
 * inline at their line and column. The text is owned by the parent; problems come from core.
 */
export function Json5Editor({
  value,
  onChange,
  problems,
  label,
}: {
  value: string;
  onChange: (text: string) => void;
  problems: ProfileProblemReport[];
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const nonce = styleNonce();
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          ...(nonce ? [EditorView.cspNonce.of(nonce)] : []),
          lineNumbers(),
          highlightActiveLineGutter(),
          foldGutter(),
          lintGutter(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          syntaxHighlighting(highlight),
          json5(),
          problemNotes,
          keymap.of([indentWithTab, ...defaultKeymap, ...historyKeymap, ...foldKeymap]),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is made once; later text comes in through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const current = v.state.doc.toString();
    if (current !== value) v.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    v.dispatch(setDiagnostics(v.state, diagnostics(v.state.doc, problems)));
    v.dispatch({ effects: setProblems.of(problems) });
  }, [problems]);

  return <div className="json5-editor" ref={host} data-testid="profile-editor" />;
}
