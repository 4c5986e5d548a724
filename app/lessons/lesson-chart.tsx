import {
  CartesianGrid,
  ComposedChart,
  Label,
  Legend,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartDataTable } from '../ui/chart-data.tsx';
import type { Lesson } from './lesson.ts';
import { LESSON_AXIS_LABEL, type LessonPoint } from './points.ts';

const COLORS = ['var(--accent, #2a6)', '#d62', '#36c', '#a3a'];
const CLASS_COLOR = 'var(--muted, #999)';

/** A log axis with room around the data (recharts' 'auto' puts the extreme points on the frame). */
const LOG_DOMAIN: [(min: number) => number, (max: number) => number] = [
  (min) => min / 1.6,
  (max) => max * 1.6,
];

const fmt = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(3))) : '—');

/** The x value in words: the step's label for a categorical axis, the number otherwise. */
export function xText(lesson: Lesson, x: number): string {
  if (lesson.chart.x === 'step') return lesson.steps[x]?.label ?? String(x);
  return lesson.chart.x === 'cachedShare' ? `${fmt(x)} %` : fmt(x);
}

/**
 * A lesson's chart: the student's points (one colour per series), the class's points overlaid in grey when
 * given, a legend, axis titles with units, and the numbers as a table.
 */
export function LessonChart(props: {
  lesson: Lesson;
  points: readonly LessonPoint[];
  classPoints?: readonly LessonPoint[];
  height?: number;
}) {
  const { lesson, points, classPoints = [] } = props;
  const { x, y, logY } = lesson.chart;
  const series = [...new Set(points.map((p) => p.series))];
  const all = [...points, ...classPoints];
  const stepTicks = x === 'step' ? lesson.steps.map((_, i) => i) : undefined;
  const xDomain: [number, number | 'auto'] =
    x === 'step' ? [-0.5, lesson.steps.length - 0.5] : x === 'cachedShare' ? [0, 100] : [0, 'auto'];
  const participants = new Set(classPoints.map((p) => p.participant ?? ''));
  return (
    <figure className="lesson-chart" data-testid="lesson-chart">
      <div style={{ width: '100%', height: props.height ?? 300 }}>
        <ResponsiveContainer>
          <ComposedChart margin={{ top: 8, right: 16, bottom: 28, left: 16 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="x"
              domain={xDomain}
              ticks={stepTicks}
              allowDecimals={x !== 'step'}
              tickFormatter={(v: number) => xText(lesson, v)}
            >
              {x !== 'step' && <Label value={LESSON_AXIS_LABEL[x]} position="bottom" offset={8} />}
            </XAxis>
            <YAxis
              type="number"
              dataKey="y"
              scale={logY ? 'log' : 'auto'}
              domain={logY ? LOG_DOMAIN : [0, 'auto']}
              allowDataOverflow={false}
              tickFormatter={fmt}
              width={64}
            >
              <Label
                value={LESSON_AXIS_LABEL[y]}
                angle={-90}
                position="insideLeft"
                offset={-4}
                style={{ textAnchor: 'middle' }}
              />
            </YAxis>
            <Tooltip
              formatter={(value) => (typeof value === 'number' ? fmt(value) : String(value))}
              labelFormatter={() => ''}
            />
            <Legend verticalAlign="top" height={28} />
            {classPoints.length > 0 && (
              <Scatter
                data={[...classPoints]}
                name={`class (${participants.size} ${participants.size === 1 ? 'student' : 'students'})`}
                fill={CLASS_COLOR}
                fillOpacity={0.55}
                isAnimationActive={false}
              />
            )}
            {series.map((s, i) => (
              <Scatter
                key={s}
                data={points.filter((p) => p.series === s)}
                name={classPoints.length > 0 ? `you: ${s}` : s}
                fill={COLORS[i % COLORS.length]}
                line={x !== 'step' || series.length === 1}
                isAnimationActive={false}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <ChartDataTable
        columns={[x === 'step' ? 'step' : LESSON_AXIS_LABEL[x], LESSON_AXIS_LABEL[y], 'who']}
        rows={all.map((p) => [xText(lesson, p.x), fmt(p.y), p.participant ?? 'you'])}
      />
    </figure>
  );
}
