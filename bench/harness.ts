/**
 * Bench helpers. Every figure is the median of at least 5 runs (never the best), printed with its
 * spread and next to a baseline doing the same work in the same run, as a ratio: machines here are
 * noisy and shared, ratios travel better than seconds. Each figure prints one machine-readable line
 *
 *   BENCH <name> value=<v> unit=<u> ratio=<r> goal=<g> ok|short
 *
 * and `npm run bench -- --json FILE` writes every figure of the run to FILE.
 */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
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

/** How many runs each figure takes: at least 5 (BENCH_RUNS raises it). */
export function runs(): number {
  const n = Number(process.env.BENCH_RUNS ?? '5');
  return Number.isFinite(n) && n >= 5 ? Math.round(n) : 5;
}

/** Runs `fn` `count` times (after `warmup` unmeasured runs) and returns every sample. */
export async function sample(
  count: number,
  fn: (i: number) => Promise<number> | number,
  warmup = 0,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(await fn(i));
  return out;
}

export interface Figure {
  /** One word with dots, e.g. `serial.fileset.115200`. */
  name: string;
  /** What it measures, for people. */
  title: string;
  samples: number[];
  unit: string;
  /** Samples of the baseline doing the same work, in the same run and unit (for the ratio). */
  baseline?: { samples: number[]; what: string };
  /** ratio = value / baseline (or baseline / value when smaller values are better). */
  higherIsBetter: boolean;
  /** The goal as the issue states it, e.g. `>=0.95` on `ratio` or on `value`. */
  goal?: { on: 'value' | 'ratio'; op: '>=' | '<=' | '<'; target: number }[];
  note?: string;
}

/** The range the runs covered; reported beside the median, so one lucky run can never be the figure. */
export interface Spread {
  low: number;
  high: number;
}

function spreadOf(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return { low: sorted[0] ?? NaN, high: sorted[sorted.length - 1] ?? NaN };
}

/** `median (low..high)` of the finite samples, for a note beside a figure; `n/a` when there are none. */
export function medianAndSpread(samples: readonly number[], digits = 1): string {
  const v = samples.filter((x) => Number.isFinite(x));
  if (v.length === 0) return 'n/a';
  const { low, high } = spreadOf(v);
  return `${median(v).toFixed(digits)} (${low.toFixed(digits)}..${high.toFixed(digits)})`;
}

export interface FigureResult {
  name: string;
  title: string;
  /** The median of the runs: the figure, never the best run. */
  value: number;
  unit: string;
  /** The spread of the runs around the median (the whole range, low..high). */
  spread: Spread;
  runs: number;
  ratio: number | null;
  baseline: { value: number; spread: Spread; what: string } | null;
  goal: string;
  ok: boolean | null;
  note?: string;
}

export const results: FigureResult[] = [];

const fmt = (v: number) =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(3);

export function figure(f: Figure): FigureResult {
  const value = median(f.samples);
  const base = f.baseline ? median(f.baseline.samples) : null;
  const ratio = base === null ? null : f.higherIsBetter ? value / base : base / value;
  const goals = f.goal ?? [];
  const goal = goals.map((g) => `${g.on === 'ratio' ? 'ratio' : ''}${g.op}${g.target}`).join(',') || 'none';
  const ok = goals.length
    ? goals.every((g) => {
        const v = g.on === 'ratio' ? ratio : value;
        if (v === null) return false;
        return g.op === '>=' ? v >= g.target : g.op === '<=' ? v <= g.target : v < g.target;
      })
    : null;
  const result: FigureResult = {
    name: f.name,
    title: f.title,
    value,
    unit: f.unit,
    spread: spreadOf(f.samples),
    runs: f.samples.length,
    ratio,
    baseline:
      f.baseline && base !== null
        ? {
            value: base,
            spread: spreadOf(f.baseline.samples),
            what: f.baseline.what,
          }
        : null,
    goal,
    ok,
    ...(f.note ? { note: f.note } : {}),
  };
  results.push(result);
  const spread = `median of ${result.runs}, spread ${fmt(result.spread.low)}..${fmt(result.spread.high)} ${f.unit}`;
  const baseline = result.baseline
    ? `; baseline ${result.baseline.what}: ${fmt(result.baseline.value)} ${f.unit} (${fmt(result.baseline.spread.low)}..${fmt(result.baseline.spread.high)})`
    : '';
  console.log(`# ${f.title}: ${spread}${baseline}${f.note ? `; ${f.note}` : ''}`);
  console.log(
    `BENCH ${f.name} value=${fmt(value)} unit=${f.unit} ratio=${ratio === null ? 'none' : ratio.toFixed(2)} goal=${goal} ${ok === null ? 'info' : ok ? 'ok' : 'short'}`,
  );
  return result;
}

export function section(title: string): void {
  console.log(`\n## ${title}`);
}

export function scale(): number {
  const n = Number(process.env.BENCH_SCALE ?? '1');
  return Number.isFinite(n) && n > 0 ? n : 1;
}
