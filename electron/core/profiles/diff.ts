/** One line of a line diff: kept (' '), only in the new text ('+'), or only in the old one ('-'). */
export interface DiffLine {
  op: ' ' | '+' | '-';
  text: string;
  /** 1-based line in the old text (kept and removed lines). */
  oldLine: number | null;
  /** 1-based line in the new text (kept and added lines). */
  newLine: number | null;
}

/**
 * A line diff by longest common subsequence: profiles are a few hundred lines at most, so the
 * quadratic table is small, and its result is the minimal one a reviewer expects.
 */
export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = oldText.replace(/\n$/, '').split('\n');
  const b = newText.replace(/\n$/, '').split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]!, oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push({ op: '-', text: a[i]!, oldLine: i + 1, newLine: null });
      i++;
    } else {
      out.push({ op: '+', text: b[j]!, oldLine: null, newLine: j + 1 });
      j++;
    }
  }
  return out;
}
