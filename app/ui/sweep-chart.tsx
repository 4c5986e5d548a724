/**
 * The chart of a sweep: measured points (median with min–max error bars) against the swept setting, an optional
 * fitted line and reference line, axes that name their units, a legend, a tooltip, and the points as a table
 * behind a disclosure (the chart's text alternative). The batch, prefix-cache and length sweeps all draw with it.
 */
import {
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Label,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartDataTable } from './chart-data.tsx';
import { formatSignificant, formatTrimmed } from './format.ts';

export interface SweepAxis {
  /** What the axis measures, in the user's words ("TTFT"). */
  label: string;
  /** Its unit ("ms", "tok/s", "%", "tokens"), shown in the axis title, the tooltip and the table header. */
  unit: string;
  /** Fixed end points; from 0 to the data's maximum otherwise. */
  domain?: [number, number];
  ticks?: number[];
}

/** A measured value: the median over the repetitions and, where there were several, their min and max. */
export interface SweepValue {
  median: number;
  min?: number;
  max?: number;
}

export interface SweepChartPoint {
  x: SweepValue;
  y: SweepValue;
  /** The point's name in the table ("B = 4"), when x is not the swept setting itself. */
  label?: string;
}

export interface SweepChartProps {
  /** The figure's accessible name. */
  title: string;
  testId: string;
  /** Pixels; 280 by default. */
  height?: number;
  x: SweepAxis;
  y: SweepAxis;
  /** `pointHeader` heads the table's column of point labels ("B"), when the points have labels. */
  measured: { name: string; points: readonly SweepChartPoint[]; pointHeader?: string };
  /** A law or line fitted to the points, drawn dashed. */
  fitted?: { name: string; points: ReadonlyArray<{ x: number; y: number }> };
  /** A reference value across the chart (the cold TTFT, where prefill stops scaling linearly). */
  reference?: { axis: 'x' | 'y'; value: number; label: string };
}

/** An axis title with its unit: "TTFT (ms)". */
export const axisTitle = (axis: Pick<SweepAxis, 'label' | 'unit'>): string => `${axis.label} (${axis.unit})`;

/** A figure with its unit: "12.3 ms", "25 %". */
export const withUnit = (value: number, unit: string): string => `${formatTrimmed(value)} ${unit}`;

/** "median (min–max)", or the median alone when the spread is unknown or nil (one repetition). */
export function formatSpread(value: SweepValue): string {
  const { median, min, max } = value;
  if (min === undefined || max === undefined || min === max) return formatTrimmed(median);
  return `${formatTrimmed(median)} (${formatTrimmed(min)}–${formatTrimmed(max)})`;
}

/** Distance from the median to the min and to the max, as recharts' ErrorBar wants it; none without a spread. */
const errorOf = (v: SweepValue): [number, number] | undefined =>
  v.min === undefined || v.max === undefined ? undefined : [v.median - v.min, v.max - v.median];

export function SweepChart(props: SweepChartProps) {
  const { x, y, measured, fitted, reference } = props;
  const data = measured.points.map((p) => ({
    x: p.x.median,
    y: p.y.median,
    xErr: errorOf(p.x),
    yErr: errorOf(p.y),
  }));
  const hasXErr = data.some((d) => d.xErr !== undefined);
  const hasYErr = data.some((d) => d.yErr !== undefined);
  const tick = (v: number) => formatTrimmed(v, 2);
  const labelled = measured.points.some((p) => p.label !== undefined);
  return (
    <figure className="chart-figure" aria-label={props.title}>
      <div style={{ width: '100%', height: props.height ?? 280 }} data-testid={props.testId}>
        <ResponsiveContainer>
          <ComposedChart margin={{ top: 8, right: 16, bottom: 24, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="x"
              domain={x.domain ?? [0, 'auto']}
              ticks={x.ticks}
              tickFormatter={tick}
            >
              <Label value={axisTitle(x)} position="bottom" offset={4} />
            </XAxis>
            {/* A fitted line may run below 0 (a negative intercept): the axis stays at 0 and clips it. */}
            <YAxis
              type="number"
              domain={y.domain ?? [0, 'auto']}
              ticks={y.ticks}
              tickFormatter={tick}
              allowDataOverflow
            >
              <Label
                value={axisTitle(y)}
                angle={-90}
                position="insideLeft"
                style={{ textAnchor: 'middle' }}
              />
            </YAxis>
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? withUnit(value, y.unit) : String(value))}
              labelFormatter={(v) => (typeof v === 'number' ? `${x.label} ${withUnit(v, x.unit)}` : '')}
            />
            <Legend verticalAlign="top" height={24} />
            {reference && (
              <ReferenceLine
                {...(reference.axis === 'x' ? { x: reference.value } : { y: reference.value })}
                stroke="var(--warn, #c80)"
                strokeDasharray="6 3"
                label={{ value: reference.label, position: 'insideTopRight' }}
              />
            )}
            {fitted && fitted.points.length > 0 && (
              <Line
                data={[...fitted.points]}
                dataKey="y"
                name={fitted.name}
                dot={false}
                stroke="var(--muted, #888)"
                strokeDasharray="4 3"
                isAnimationActive={false}
              />
            )}
            <Scatter
              data={data}
              dataKey="y"
              name={measured.name}
              fill="var(--accent, #2a6)"
              isAnimationActive={false}
            >
              {hasYErr && <ErrorBar dataKey="yErr" direction="y" width={4} />}
              {hasXErr && <ErrorBar dataKey="xErr" direction="x" width={4} />}
            </Scatter>
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <ChartDataTable
        summary={`${props.title}: data as a table`}
        columns={[
          ...(labelled ? [measured.pointHeader ?? ''] : []),
          hasXErr ? `${axisTitle(x)}, median (min–max)` : axisTitle(x),
          hasYErr ? `${axisTitle(y)}, median (min–max)` : axisTitle(y),
        ]}
        rows={measured.points.map((p) => [
          ...(labelled ? [p.label ?? ''] : []),
          formatSpread(p.x),
          formatSpread(p.y),
        ])}
      />
    </figure>
  );
}

/** A measured figure in a table cell: the median, its min–max muted beside it (none from one repetition). */
export function SpreadText({ value }: { value: SweepValue }) {
  const { median, min, max } = value;
  return (
    <>
      {formatSignificant(median)}
      {min !== undefined && max !== undefined && min !== max && (
        <>
          {' '}
          <span className="muted">
            ({formatSignificant(min)}–{formatSignificant(max)})
          </span>
        </>
      )}
    </>
  );
}
