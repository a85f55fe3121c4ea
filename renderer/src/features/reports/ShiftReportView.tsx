import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'react';
import type { ShiftReport } from '../../../../electron/shared/contract';
import { ChartCanvas, SERIES_COLOURS, themeColour } from '../../components/charts/ChartCanvas';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
const slotName = (slot: number | null) => (slot === null ? 'No slot' : `Slot ${slot}`);
const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function axes(y: string, extra: Record<string, unknown> = {}) {
  const text = themeColour('--text', '#eef2f5');
  const grid = themeColour('--line', '#2c3a47');
  return {
    x: { ticks: { color: text }, grid: { color: grid } },
    y: {
      beginAtZero: true,
      title: { display: true, text: y, color: text },
      ticks: { color: text },
      grid: { color: grid },
    },
    ...extra,
  };
}

/**
 * The shift report: numbers, units per hour per slot over the shift, the failure Pareto, reworks
 * and reprints. Takes the report as data, so the Reports screen and the line view share it.
 */
export function ShiftReportView({ report: r }: { report: ShiftReport }) {
  const text = themeColour('--text', '#eef2f5');
  const throughput = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels: r.buckets.map(time),
        datasets: r.slots.map((s, i) => ({
          label: slotName(s.slot),
          data: s.unitsPerHour,
          borderColor: SERIES_COLOURS[i % SERIES_COLOURS.length],
          backgroundColor: SERIES_COLOURS[i % SERIES_COLOURS.length],
          tension: 0.2,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { labels: { color: text } } },
        scales: axes('units per hour'),
      },
    }),
    [r, text],
  );
  const pareto = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: r.failureReasons.map((f) => `${f.code} (${f.step})`),
        datasets: [
          {
            type: 'bar',
            label: 'failures',
            data: r.failureReasons.map((f) => f.count),
            backgroundColor: themeColour('--fail', '#ef4444'),
            yAxisID: 'y',
          },
          {
            type: 'line',
            label: 'cumulative %',
            data: r.failureReasons.map((f) => Math.round(f.cumulative * 1000) / 10),
            borderColor: themeColour('--accent', '#4fb3ff'),
            backgroundColor: themeColour('--accent', '#4fb3ff'),
            yAxisID: 'y1',
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { labels: { color: text } } },
        scales: axes('failures', {
          y1: {
            position: 'right',
            min: 0,
            max: 100,
            title: { display: true, text: 'cumulative %', color: text },
            ticks: { color: text },
            grid: { drawOnChartArea: false },
          },
        }),
      },
    }),
    [r, text],
  );

  const stats: [string, string, string][] = [
    ['Units', String(r.units), 'units'],
    ['Passed', String(r.passed), 'passed'],
    ['Failed', String(r.failed), 'failed'],
    ['First-pass yield', pct(r.firstPassYield), 'fpy'],
    ['Attempts', String(r.attempts), 'attempts'],
    ['Failed before a claim ID', String(r.failedBeforeClaim), 'before-claim'],
    ['Reworks', String(r.reworks.length), 'reworks'],
    ['Reprints', String(r.reprints.length), 'reprints'],
  ];
  return (
    <div className="shift-report">
      <dl className="report-stats" aria-label="Shift numbers">
        {stats.map(([k, v, id]) => (
          <div key={id}>
            <dt>{k}</dt>
            <dd data-testid={`report-${id}`}>{v}</dd>
          </div>
        ))}
      </dl>
      <div className="report-charts">
        <section aria-label="Units per hour per slot">
          <h3>Units per hour per slot ({r.bucketMinutes}-minute steps)</h3>
          <ChartCanvas config={throughput} label="Units per hour per slot over the shift" />
          <table className="report-table" aria-label="Units passed per slot">
            <thead>
              <tr>
                <th>Slot</th>
                <th>Passed</th>
                <th>Best units/hour</th>
              </tr>
            </thead>
            <tbody>
              {r.slots.map((s) => (
                <tr key={String(s.slot)}>
                  <td>{slotName(s.slot)}</td>
                  <td>{s.passed}</td>
                  <td>{Math.max(0, ...s.unitsPerHour).toFixed(0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-label="Failure reasons">
          <h3>Failure reasons</h3>
          {r.failureReasons.length ? (
            <>
              <ChartCanvas config={pareto} label="Failure reasons, most frequent first (Pareto)" />
              <table className="report-table" aria-label="Failure reasons table">
                <thead>
                  <tr>
                    <th>Reason</th>
                    <th>Step</th>
                    <th>Count</th>
                    <th>Cumulative</th>
                  </tr>
                </thead>
                <tbody>
                  {r.failureReasons.map((f) => (
                    <tr key={`${f.code}:${f.step}`} title={f.message}>
                      <td className="mono">{f.code}</td>
                      <td>{f.step}</td>
                      <td>{f.count}</td>
                      <td>{pct(f.cumulative)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p className="muted">No failures.</p>
          )}
        </section>
      </div>
      <div className="report-lists">
        <section aria-label="Reworks">
          <h3>Reworks ({r.reworks.length})</h3>
          <table className="report-table" aria-label="Reworks table">
            <tbody>
              {r.reworks.map((w, i) => (
                <tr key={i}>
                  <td>{time(w.at)}</td>
                  <td className="mono">{w.claimId}</td>
                  <td>from {w.from}</td>
                  <td>{w.operator}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-label="Reprints">
          <h3>Reprints ({r.reprints.length})</h3>
          <table className="report-table" aria-label="Reprints table">
            <tbody>
              {r.reprints.map((p, i) => (
                <tr key={i}>
                  <td>{time(p.at)}</td>
                  <td className="mono">{p.claimId}</td>
                  <td>{p.reason}</td>
                  <td>{p.operator}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </div>
  );
}
