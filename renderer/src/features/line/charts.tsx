import { useMemo } from 'react';
import type { ChartConfiguration } from 'chart.js';
import type { LineReport } from '../../../../electron/shared/contract';
import { ChartCanvas } from '../../components/charts/ChartCanvas';

const COLORS = ['#1565c0', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#c62828', '#4e342e', '#37474f'];

function hourLabel(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Units passed per hour of the shift, one stacked series per station. */
export function UnitsPerHourChart({ report }: { report: LineReport }) {
  const labels = useMemo(() => report.hours.map(hourLabel), [report]);
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels,
        datasets: report.perHour.map((s, i) => ({
          label: s.stationName,
          data: s.counts,
          backgroundColor: COLORS[i % COLORS.length]!,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      },
    }),
    [report, labels],
  );
  return (
    <ChartCanvas label="Units passed per hour, by station" config={config} className="line-chart">
      <table data-testid="per-hour-data">
        <thead>
          <tr>
            <th>Station</th>
            {labels.map((l, i) => (
              <th key={report.hours[i]}>{l}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.perHour.map((s) => (
            <tr key={s.stationName}>
              <td>{s.stationName}</td>
              {s.counts.map((c, i) => (
                <td key={report.hours[i]}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ChartCanvas>
  );
}

/** Failure reasons, most frequent first, with the cumulative share as a line (a Pareto chart). */
export function ParetoChart({ report }: { report: LineReport }) {
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: report.pareto.map((p) => p.code),
        datasets: [
          {
            type: 'bar',
            label: 'Failures',
            data: report.pareto.map((p) => p.count),
            backgroundColor: '#c62828',
            yAxisID: 'y',
          },
          {
            type: 'line',
            label: 'Cumulative %',
            data: report.pareto.map((p) => p.cumulativePct),
            borderColor: '#37474f',
            backgroundColor: '#37474f',
            yAxisID: 'pct',
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 } },
          pct: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false } },
        },
      },
    }),
    [report],
  );
  return (
    <ChartCanvas label="Failure reasons, most frequent first" config={config} className="line-chart">
      <table data-testid="pareto-data">
        <tbody>
          {report.pareto.map((p) => (
            <tr key={p.code}>
              <td>{p.code}</td>
              <td>{p.count}</td>
              <td>{p.cumulativePct}%</td>
              <td>{p.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ChartCanvas>
  );
}
