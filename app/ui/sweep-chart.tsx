/**
 * The chart of a sweep: measured points (median with min–max error bars) against the swept setting, an optional
 * fitted line and reference line, drawn in the one chart frame (axes with units, legend, tooltip, the points as a
 * table). The batch, prefix-cache and length sweeps all draw with it.
 */
import { axisTitle, CHART_COLOR, type ChartAxis, ChartFrame } from './chart-frame.tsx';
import { formatSignificant, formatTrimmed } from './format.ts';

export type SweepAxis = Pick<ChartAxis, 'label' | 'unit' | 'domain' | 'ticks'>;

/** A measured value: the median over the repetitions and, where there were several, their min and max. */
export interface SweepValue {
  median: number;
  min?: number;
  max?: number;
}

export interface SweepChartPoint {
  x: SweepValue;
  y: SweepValue;
  /** The point's name in the table and the tooltip ("B = 4"), when x is not the swept setting itself. */
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

/** "median (min–max)", or the median alone when the spread is unknown or nil (one repetition). */
export function formatSpread(value: SweepValue): string {
  const { median, min, max } = value;
  if (min === undefined || max === undefined || min === max) return formatTrimmed(median);
  return `${formatTrimmed(median)} (${formatTrimmed(min)}–${formatTrimmed(max)})`;
}

/** Distance from the median to the min and to the max, as an error bar wants it; none without a spread. */
const errorOf = (v: SweepValue): [number, number] | undefined =>
  v.min === undefined || v.max === undefined ? undefined : [v.median - v.min, v.max - v.median];

export function SweepChart(props: SweepChartProps) {
  const { x, y, measured, fitted, reference } = props;
  const points = measured.points.map((p) => {
    const xErr = errorOf(p.x);
    const yErr = errorOf(p.y);
    return {
      x: p.x.median,
      y: p.y.median,
      ...(xErr ? { xErr } : {}),
      ...(yErr ? { yErr } : {}),
      ...(p.label === undefined ? {} : { label: p.label }),
    };
  });
  const hasXErr = points.some((d) => d.xErr !== undefined);
  const hasYErr = points.some((d) => d.yErr !== undefined);
  const labelled = measured.points.some((p) => p.label !== undefined);
  return (
    <ChartFrame
      title={props.title}
      testId={props.testId}
      {...(props.height === undefined ? {} : { height: props.height })}
      x={x}
      y={y}
      series={[
        ...(fitted
          ? [
              {
                kind: 'line' as const,
                name: fitted.name,
                points: fitted.points,
                color: CHART_COLOR.fitted,
                dashed: true,
              },
            ]
          : []),
        { kind: 'points', name: measured.name, points, color: CHART_COLOR.measured },
      ]}
      references={reference ? [reference] : []}
      table={{
        columns: [
          ...(labelled ? [measured.pointHeader ?? ''] : []),
          hasXErr ? `${axisTitle(x)}, median (min–max)` : axisTitle(x),
          hasYErr ? `${axisTitle(y)}, median (min–max)` : axisTitle(y),
        ],
        rows: measured.points.map((p) => [
          ...(labelled ? [p.label ?? ''] : []),
          formatSpread(p.x),
          formatSpread(p.y),
        ]),
      }}
    />
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
