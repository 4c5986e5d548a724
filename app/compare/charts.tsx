import { type ReactNode, useRef, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ErrorBar,
  Legend,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { maxOf, minOf, type Spread } from '../run/stats.ts';
import { ChartDataTable } from '../ui/chart-data.tsx';
import { downloadBlob } from '../ui/download.ts';
import type { Series, SpreadPoint } from './comparison.ts';
import { chartToPng, type LegendItem } from './files.ts';
import { formatSignificant, formatSpread } from './format.ts';

export const PALETTE = [
  '#2459d6',
  '#d9822b',
  '#1e7f4f',
  '#8e44ad',
  '#b3261e',
  '#0f8b8d',
  '#6b6b6b',
  '#c2185b',
];
export const seriesColor = (i: number): string => PALETTE[i % PALETTE.length] ?? '#2459d6';

const fileName = (title: string) =>
  `${title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}.png`;

/** A chart with its title, what it answers, a PNG download, or why it cannot be drawn yet. */
export function ChartFrame(props: {
  title: string;
  question: string;
  legend: readonly LegendItem[];
  empty?: string | null;
  footer?: ReactNode;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const savePng = async () => {
    setError(null);
    try {
      if (!ref.current) return;
      downloadBlob(fileName(props.title), await chartToPng(ref.current, props.title, props.legend));
    } catch (e) {
      setError(e instanceof Error ? e.message : 'The PNG could not be made.');
    }
  };
  if (props.empty) {
    // Nothing to draw: one line saying what the chart needs, not an empty box (see compare.css).
    return (
      <figure className="chart empty" aria-label={props.title}>
        <figcaption>
          <strong>{props.title}</strong>: <span className="muted">{props.empty}</span>
        </figcaption>
      </figure>
    );
  }
  return (
    <figure className="chart" aria-label={props.title}>
      <figcaption className="chart-head">
        <div>
          <h3>{props.title}</h3>
          <p className="muted chart-question">{props.question}</p>
        </div>
        {!props.empty && (
          <button type="button" className="secondary small" onClick={savePng}>
            PNG
          </button>
        )}
      </figcaption>
      {props.empty ? <p className="message info">{props.empty}</p> : <div ref={ref}>{props.children}</div>}
      {error && <p className="message error">{error}</p>}
      {!props.empty && props.footer}
    </figure>
  );
}

const isSpreadPoint = (value: unknown): value is SpreadPoint =>
  typeof value === 'object' && value !== null && 'spread' in value && 'label' in value && 'x' in value;

function PointTooltip(props: {
  active?: boolean;
  payload?: ReadonlyArray<{ payload?: unknown; name?: unknown }>;
  formatX: (x: number) => string;
  unit: string;
}) {
  const entry = props.payload?.[0];
  const point = entry?.payload;
  if (!props.active || !isSpreadPoint(point)) return null;
  return (
    <div className="chart-tooltip">
      <strong>{point.label}</strong> <span className="muted">{props.formatX(point.x)}</span>
      <div>
        {formatSpread(point.spread)} {props.unit}
      </div>
      <div className="muted">
        median (min–max) of {point.spread.n} repetition{point.spread.n === 1 ? '' : 's'}
      </div>
    </div>
  );
}

/** Medians joined by lines, with min–max error bars, one colour per series. */
export function SpreadScatterChart(props: {
  series: readonly Series[];
  xLabel: string;
  yLabel: string;
  unit: string;
  formatX: (x: number) => string;
  logX?: boolean;
  /** A fixed x range (e.g. 0–100 %); otherwise the data's, padded. */
  xDomain?: [number, number];
  /** Put the x ticks exactly at the measured values (e.g. prompt lengths), not at round fractions. */
  ticksAtData?: boolean;
  height?: number;
}) {
  const xs = props.series.flatMap((s) => s.points.map((p) => p.x));
  const lo = minOf(xs);
  const hi = maxOf(xs);
  const domain: [number, number] = props.xDomain
    ? props.xDomain
    : props.logX
      ? [lo / 1.6, hi * 1.6]
      : [Math.max(0, lo - (hi - lo) * 0.08), hi + (hi - lo) * 0.08 || hi + 1];
  return (
    <>
      <ResponsiveContainer width="100%" height={props.height ?? 280}>
        <ScatterChart margin={{ top: 8, right: 16, bottom: 28, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis
            type="number"
            dataKey="x"
            scale={props.logX ? 'log' : 'linear'}
            domain={domain}
            allowDataOverflow
            ticks={props.ticksAtData ? [...new Set(xs)].sort((a, b) => a - b) : undefined}
            tickFormatter={props.formatX}
            label={{ value: props.xLabel, position: 'insideBottom', offset: -16 }}
          />
          <YAxis
            type="number"
            dataKey="y"
            tickFormatter={(v: number) => formatSignificant(v)}
            label={{
              value: props.yLabel,
              angle: -90,
              position: 'insideLeft',
              style: { textAnchor: 'middle' },
            }}
            width={72}
          />
          <Tooltip content={<PointTooltip formatX={props.formatX} unit={props.unit} />} />
          <Legend verticalAlign="top" wrapperStyle={{ paddingBottom: 10 }} />
          {props.series.map((s, i) => (
            <Scatter
              key={s.name}
              name={s.name}
              data={s.points}
              fill={seriesColor(i)}
              line={{ stroke: seriesColor(i), strokeWidth: 1.5 }}
              isAnimationActive={false}
            >
              <ErrorBar
                dataKey="yError"
                direction="y"
                stroke={seriesColor(i)}
                width={6}
                isAnimationActive={false}
              />
            </Scatter>
          ))}
        </ScatterChart>
      </ResponsiveContainer>
      <ChartDataTable
        columns={['series', props.xLabel, `${props.yLabel}: median (min–max)`]}
        rows={props.series.flatMap((s) =>
          s.points.map((p) => [s.name, props.formatX(p.x), formatSpread(p.spread)]),
        )}
      />
    </>
  );
}

export interface BarGroup {
  label: string;
  values: Record<string, Spread>;
}

/**
 * Grouped bars of medians with min–max error bars (e.g. WASM vs WebGPU per model), laid out horizontally: the
 * group labels (long: model, dtype, lengths) sit on their own lines on the left instead of colliding under the
 * bars.
 */
export function SpreadBarChart(props: {
  groups: readonly BarGroup[];
  keys: readonly string[];
  yLabel: string;
  height?: number;
}) {
  const data = props.groups.map((g) => {
    const row: Record<string, string | number | [number, number]> = { label: g.label };
    for (const key of props.keys) {
      const s = g.values[key];
      if (!s) continue;
      row[key] = s.median;
      row[`${key}Error`] = [s.median - s.min, s.max - s.median];
    }
    return row;
  });
  const longest = maxOf(props.groups.map((g) => g.label.length));
  // About 6 px per character at 11 px, capped so the bars keep most of a phone's width.
  const labelWidth = Math.min(180, Math.max(60, longest * 6));
  const height = props.height ?? Math.max(160, 70 + props.groups.length * props.keys.length * 26);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" horizontal={false} />
        <YAxis type="category" dataKey="label" interval={0} width={labelWidth} tick={{ fontSize: 11 }} />
        <XAxis
          type="number"
          tickFormatter={(v: number) => formatSignificant(v)}
          label={{ value: props.yLabel, position: 'insideBottom', offset: -14 }}
        />
        <Tooltip
          formatter={(value) => (typeof value === 'number' ? formatSignificant(value) : String(value))}
        />
        <Legend verticalAlign="top" wrapperStyle={{ paddingBottom: 10 }} />
        {props.keys.map((key, i) => (
          <Bar key={key} dataKey={key} name={key} fill={seriesColor(i)} isAnimationActive={false}>
            <ErrorBar
              dataKey={`${key}Error`}
              direction="x"
              stroke="#1d1f23"
              width={6}
              isAnimationActive={false}
            />
          </Bar>
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
