/**
 * One frame for the charts with an x and a y axis: axes whose titles name their units (log scale said so),
 * a legend, a tooltip that gives a point's series, name and both values with their units, error bars, lines
 * (fitted or modelled) and reference lines, and the chart's numbers as a table behind a disclosure (its text
 * alternative). The sweeps, the roofline, the overhead fit and the lessons draw through it, so they behave
 * the same.
 */
import { type ReactNode, useRef, useState } from 'react';
import {
  type AxisDomain,
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Label,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  type ScatterPointItem,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartDataTable } from './chart-data.tsx';
import { formatTrimmed } from './format.ts';

export interface ChartAxis {
  /** What the axis measures, in the user's words ("TTFT"); empty for an axis of named steps (no title). */
  label: string;
  /** Its unit ("ms", "tok/s", "%"), shown in the axis title and the tooltip; empty when it has none. */
  unit: string;
  /** A log scale: the title says so. */
  log?: boolean;
  /** Fixed end points; otherwise from 0 to the data's maximum (linear) or the data's range with room (log). */
  domain?: readonly [number, number];
  ticks?: readonly number[];
  /** A tick's text; a number with up to 2 significant digits by default. */
  tickText?: (value: number) => string;
  /** A value's text in the tooltip; the number and the unit by default ("12.3 ms"). */
  valueText?: (value: number) => string;
}

/** A point: its coordinates, and the distance from them to the min and the max where there is a spread. */
export interface ChartPoint {
  x: number;
  y: number;
  xErr?: readonly [number, number];
  yErr?: readonly [number, number];
  /** The point's name in the tooltip ("B = 4", "Prefill", a student's name). */
  label?: string;
}

export type ChartSeries =
  | {
      kind: 'points';
      name: string;
      points: readonly ChartPoint[];
      color: string;
      /** A line through the points, in their order. */
      connect?: boolean;
      /** Drawn half-transparent, behind the rest (the class under the student's own points). */
      faint?: boolean;
    }
  | {
      kind: 'line';
      name: string;
      points: ReadonlyArray<{ x: number; y: number }>;
      color: string;
      /** Dashed: a line fitted to the points rather than a bound. */
      dashed?: boolean;
    };

/** A value marked across the chart (the cold TTFT, the roofline's ridge point). */
export interface ChartReference {
  axis: 'x' | 'y';
  value: number;
  label: string;
}

export interface ChartFrameProps {
  /** The figure's accessible name; its table's summary starts with it. */
  title: string;
  testId?: string;
  /** Pixels; 280 by default. */
  height?: number;
  x: ChartAxis;
  y: ChartAxis;
  series: readonly ChartSeries[];
  references?: readonly ChartReference[];
  /** The chart's numbers, as the table behind the disclosure. */
  table: { columns: readonly string[]; rows: ReadonlyArray<readonly ReactNode[]> };
}

/** Colours the charts share: the measured points, a fitted line, a reference line. */
export const CHART_COLOR = {
  measured: 'var(--accent, #2459d6)',
  fitted: 'var(--muted, #5f6670)',
  reference: 'var(--warn, #8a5200)',
} as const;

/** An axis title with its unit: "TTFT (ms)"; the label alone without a unit. */
export const axisTitle = (axis: Pick<ChartAxis, 'label' | 'unit'>): string =>
  axis.unit === '' ? axis.label : `${axis.label} (${axis.unit})`;

/** The title drawn on the chart: a log axis says so, "GFLOP/s (log scale)". */
export function chartAxisTitle(axis: Pick<ChartAxis, 'label' | 'unit' | 'log'>): string {
  if (!axis.log) return axisTitle(axis);
  return axis.unit === '' ? `${axis.label} (log scale)` : `${axis.label} (${axis.unit}, log scale)`;
}

/** A figure with its unit: "12.3 ms", "25 %"; the figure alone without a unit. */
export const withUnit = (value: number, unit: string): string =>
  unit === '' ? formatTrimmed(value) : `${formatTrimmed(value)} ${unit}`;

/** A log axis with room around the data (recharts' 'auto' puts the extreme points on the frame). */
const LOG_DOMAIN: [(min: number) => number, (max: number) => number] = [
  (min) => min / 1.6,
  (max) => max * 1.6,
];

/** What one drawn point carries, so the tooltip can name it whichever series it belongs to. */
interface Datum {
  x: number;
  y: number;
  xErr?: readonly [number, number];
  yErr?: readonly [number, number];
  series: string;
  label?: string;
}

const isDatum = (v: unknown): v is Datum =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Datum).x === 'number' &&
  typeof (v as Datum).y === 'number' &&
  typeof (v as Datum).series === 'string';

/** The tooltip's lines for the points under the pointer: "series — name", then x and y with their units. */
export function tooltipLines(data: readonly Datum[], x: ChartAxis, y: ChartAxis): string[][] {
  const xText = x.valueText ?? ((v: number) => withUnit(v, x.unit));
  const yText = y.valueText ?? ((v: number) => withUnit(v, y.unit));
  const name = (a: ChartAxis, text: string) => (a.label === '' ? text : `${a.label}: ${text}`);
  return data.map((d) => [
    d.label === undefined ? d.series : `${d.series} — ${d.label}`,
    name(x, xText(d.x)),
    name(y, yText(d.y)),
  ]);
}

/** The point under the pointer and where it is in the plot, px. */
interface Hovered {
  datum: Datum;
  cx: number;
  cy: number;
}

/**
 * The tooltip of the point under the pointer, beside it (on its left in the right half of the plot). Drawn by
 * the frame rather than recharts' tooltip, which gives no payload for scatters on log axes or several scatters.
 */
function PointTooltip(props: { hovered: Hovered; plotWidthPx: number; x: ChartAxis; y: ChartAxis }) {
  const { hovered } = props;
  const [head, ...values] = tooltipLines([hovered.datum], props.x, props.y)[0] ?? [];
  const onLeft = hovered.cx > props.plotWidthPx / 2;
  return (
    <div
      className="chart-tooltip"
      data-testid="chart-tooltip"
      style={{
        position: 'absolute',
        top: hovered.cy + 8,
        left: hovered.cx + (onLeft ? -8 : 8),
        transform: onLeft ? 'translateX(-100%)' : undefined,
        pointerEvents: 'none',
        whiteSpace: 'nowrap',
      }}
    >
      <strong>{head}</strong>
      {values.map((v) => (
        <div key={v}>{v}</div>
      ))}
    </div>
  );
}

/** About how wide one character of an axis title is, px (the 14 px sans-serif recharts draws them in). */
const TITLE_CHAR_PX = 7;

/**
 * An axis title in lines that each fit `maxChars`: one line when it fits; else two, split before the unit when
 * the label fits a line alone, otherwise at the space nearest the middle. A title without spaces stays whole.
 */
export function titleLines(title: string, maxChars: number): string[] {
  if (title.length <= maxChars) return [title];
  const unit = title.lastIndexOf(' (');
  if (unit > 0 && unit <= maxChars && title.length - unit - 1 <= maxChars) {
    return [title.slice(0, unit), title.slice(unit + 1)];
  }
  const spaces = [...title.matchAll(/ /g)].map((m) => m.index);
  if (spaces.length === 0) return [title];
  const middle = title.length / 2;
  const at = spaces.reduce((best, i) => (Math.abs(i - middle) < Math.abs(best - middle) ? i : best));
  return [title.slice(0, at), title.slice(at + 1)];
}

/** The y axis's title, turned up the axis, on two lines when it is longer than the plot is tall. */
function YTitle(props: { viewBox: unknown; title: string }) {
  const box = props.viewBox as Partial<Record<'x' | 'y' | 'height', number>> | undefined;
  if (box?.x === undefined || box.y === undefined || box.height === undefined) return null;
  const lines = titleLines(props.title, Math.floor(box.height / TITLE_CHAR_PX));
  const cx = box.x - 2;
  const cy = box.y + box.height / 2;
  return (
    <text
      className="recharts-text recharts-label"
      x={cx}
      y={cy}
      transform={`rotate(-90 ${cx} ${cy})`}
      textAnchor="middle"
      fill="#808080"
    >
      {lines.map((line, i) => (
        <tspan key={line} x={cx} dy={i === 0 ? 0 : '1.1em'}>
          {line}
        </tspan>
      ))}
    </text>
  );
}

const defaultTick = (v: number) => formatTrimmed(v, 2);

/** recharts' props for one axis: scale, domain (linear from 0 unless fixed), ticks and their text. */
function axisProps(axis: ChartAxis) {
  const domain: AxisDomain = axis.domain ? [...axis.domain] : axis.log ? LOG_DOMAIN : [0, 'auto'];
  return {
    type: 'number' as const,
    dataKey: 'x',
    scale: axis.log ? ('log' as const) : ('auto' as const),
    domain,
    ...(axis.ticks ? { ticks: [...axis.ticks] } : {}),
    tickFormatter: axis.tickText ?? defaultTick,
    // A fitted line may run outside a fixed domain (below 0, a negative intercept): the axis clips it.
    allowDataOverflow: true,
  };
}

export function ChartFrame(props: ChartFrameProps) {
  const { x, y, series, references = [] } = props;
  const xTitle = chartAxisTitle(x);
  const yTitle = chartAxisTitle(y);
  // The faint series (the class) first, so the rest is drawn over it.
  const ordered = [...series].sort(
    (a, b) => Number(b.kind === 'points' && b.faint) - Number(a.kind === 'points' && a.faint),
  );
  const [hovered, setHovered] = useState<Hovered | null>(null);
  const plot = useRef<HTMLDivElement>(null);
  const hover = (item: ScatterPointItem) => {
    const datum: unknown = item.payload;
    if (isDatum(datum) && item.cx !== undefined && item.cy !== undefined) {
      setHovered({ datum, cx: item.cx, cy: item.cy });
    }
  };
  return (
    <figure className="chart-figure" aria-label={props.title}>
      <div
        ref={plot}
        style={{ width: '100%', height: props.height ?? 280, position: 'relative' }}
        data-testid={props.testId}
      >
        <ResponsiveContainer>
          <ComposedChart margin={{ top: 8, right: 24, bottom: 28, left: 16 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis {...axisProps(x)}>
              {xTitle !== '' && <Label value={xTitle} position="bottom" offset={8} />}
            </XAxis>
            <YAxis {...axisProps(y)} dataKey="y" width={64}>
              {yTitle !== '' && (
                <Label content={(label) => <YTitle viewBox={label.viewBox} title={yTitle} />} />
              )}
            </YAxis>
            <Legend verticalAlign="top" wrapperStyle={{ paddingBottom: 8 }} />
            {references.map((r) => (
              <ReferenceLine
                key={`${r.axis}${r.value}${r.label}`}
                {...(r.axis === 'x' ? { x: r.value } : { y: r.value })}
                stroke={CHART_COLOR.reference}
                strokeDasharray="6 3"
                label={{ value: r.label, position: 'insideTopRight' }}
              />
            ))}
            {ordered.map((s) => {
              const data: Datum[] = s.points.map((p) => ({ ...p, series: s.name }));
              if (s.kind === 'line') {
                return data.length === 0 ? null : (
                  <Line
                    key={s.name}
                    data={data}
                    dataKey="y"
                    name={s.name}
                    dot={false}
                    stroke={s.color}
                    strokeWidth={s.dashed ? 1.5 : 2}
                    {...(s.dashed ? { strokeDasharray: '4 3' } : {})}
                    isAnimationActive={false}
                  />
                );
              }
              const hasXErr = data.some((d) => d.xErr !== undefined);
              const hasYErr = data.some((d) => d.yErr !== undefined);
              return (
                <Scatter
                  key={s.name}
                  data={data}
                  dataKey="y"
                  name={s.name}
                  fill={s.color}
                  {...(s.faint ? { fillOpacity: 0.55 } : {})}
                  line={s.connect ?? false}
                  isAnimationActive={false}
                  onMouseEnter={hover}
                  onMouseLeave={() => setHovered(null)}
                >
                  {hasYErr && <ErrorBar dataKey="yErr" direction="y" width={4} />}
                  {hasXErr && <ErrorBar dataKey="xErr" direction="x" width={4} />}
                </Scatter>
              );
            })}
          </ComposedChart>
        </ResponsiveContainer>
        {hovered && (
          <PointTooltip hovered={hovered} plotWidthPx={plot.current?.clientWidth ?? 0} x={x} y={y} />
        )}
      </div>
      <ChartDataTable
        summary={`${props.title}: data as a table`}
        columns={props.table.columns}
        rows={props.table.rows}
      />
    </figure>
  );
}
