import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef, type ReactNode } from 'react';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

/** A theme colour (CSS variable) as Chart.js needs it: a real colour string. */
export function themeColour(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Slot colours: distinct, and readable on both themes. */
export const SERIES_COLOURS = [
  '#4fb3ff',
  '#f59e0b',
  '#22c55e',
  '#ef4444',
  '#a78bfa',
  '#f472b6',
  '#2dd4bf',
  '#facc15',
];

/**
 * One Chart.js chart on a canvas, updated in place when its configuration changes. The canvas is
 * an image for assistive technology; its numbers are given next to it by the caller, or inside it
 * as fallback content (`children`, e.g. a table a screen reader or a test reads).
 */
export function ChartCanvas({
  config,
  label,
  className = 'chart-box',
  children,
}: {
  config: ChartConfiguration;
  label: string;
  className?: string;
  children?: ReactNode;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  const first = useRef(config);

  useEffect(() => {
    const made = new Chart(canvas.current!, first.current);
    chart.current = made;
    return () => {
      made.destroy();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c || config === first.current) return;
    c.data = config.data;
    if (config.options) c.options = config.options;
    c.update();
  }, [config]);

  return (
    <div className={className}>
      <canvas ref={canvas} role="img" aria-label={label}>
        {children}
      </canvas>
    </div>
  );
}
