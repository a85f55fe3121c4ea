/**
 * Bench helpers. Every bench prints its result next to a baseline measured in the same run on the
 * same machine, as a ratio: machines here are noisy, ratios travel better than seconds.
 */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function timeIt<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

export async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

export interface BenchLine {
  name: string;
  value: string;
  baseline?: string;
  ratio?: number;
  goal?: string;
  met?: boolean;
}

export function report(title: string, lines: BenchLine[]): void {
  console.log(`\n## ${title}`);
  for (const l of lines) {
    const parts = [`${l.name}: ${l.value}`];
    if (l.baseline) parts.push(`baseline ${l.baseline}`);
    if (l.ratio !== undefined) parts.push(`ratio ${l.ratio.toFixed(2)}`);
    if (l.goal) parts.push(`goal ${l.goal}${l.met === undefined ? '' : l.met ? ' (met)' : ' (NOT met)'}`);
    console.log(`  ${parts.join('  |  ')}`);
  }
}

export function scale(): number {
  const n = Number(process.env.BENCH_SCALE ?? '1');
  return Number.isFinite(n) && n > 0 ? n : 1;
}
