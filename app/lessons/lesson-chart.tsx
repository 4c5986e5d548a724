import { axisTitle, CHART_COLOR, type ChartAxis, ChartFrame, type ChartSeries } from '../ui/chart-frame.tsx';
import { fmtUsd, formatTrimmed } from '../ui/format.ts';
import type { Lesson } from './lesson.ts';
import { LESSON_AXIS, type LessonPoint } from './points.ts';

const COLORS = [CHART_COLOR.measured, '#d62', '#2a6', '#a3a'];
const CLASS_COLOR = CHART_COLOR.fitted;

const fmt = (v: number) => formatTrimmed(v);

/** The x value in words: the step's label for a categorical axis, the number otherwise. */
export function xText(lesson: Lesson, x: number): string {
  if (lesson.chart.x === 'step') return lesson.steps[x]?.label ?? String(x);
  return lesson.chart.x === 'cachedShare' ? `${fmt(x)} %` : fmt(x);
}

/** The lesson's axes in the chart frame: a step axis shows the steps' labels, a log y axis says so. */
export function lessonAxes(lesson: Lesson): { x: ChartAxis; y: ChartAxis } {
  const { x, y, logY } = lesson.chart;
  const steps = x === 'step';
  return {
    x: {
      ...LESSON_AXIS[x],
      ...(steps
        ? { domain: [-0.5, lesson.steps.length - 0.5], ticks: lesson.steps.map((_, i) => i) }
        : x === 'cachedShare'
          ? { domain: [0, 100] }
          : {}),
      tickText: (v) => xText(lesson, v),
      ...(steps ? { valueText: (v: number) => xText(lesson, v) } : {}),
    },
    y: {
      ...LESSON_AXIS[y],
      ...(logY ? { log: true } : {}),
      ...(y === 'requestCostUsdPer1M' ? { valueText: fmtUsd } : {}),
    },
  };
}

/**
 * A lesson's chart: the student's points (one colour per series), the class's points overlaid in grey when
 * given, drawn in the one chart frame (axes with units, legend, tooltip, the numbers as a table).
 */
export function LessonChart(props: {
  lesson: Lesson;
  points: readonly LessonPoint[];
  classPoints?: readonly LessonPoint[];
  height?: number;
}) {
  const { lesson, points, classPoints = [] } = props;
  const { x, y } = lessonAxes(lesson);
  const seriesNames = [...new Set(points.map((p) => p.series))];
  const participants = new Set(classPoints.map((p) => p.participant ?? ''));
  const series: ChartSeries[] = [
    ...(classPoints.length > 0
      ? [
          {
            kind: 'points' as const,
            name: `class (${participants.size} ${participants.size === 1 ? 'student' : 'students'})`,
            points: classPoints.map((p) => ({ x: p.x, y: p.y, label: p.participant ?? '' })),
            color: CLASS_COLOR,
            faint: true,
          },
        ]
      : []),
    ...seriesNames.map((s, i) => ({
      kind: 'points' as const,
      name: classPoints.length > 0 ? `you: ${s}` : s,
      points: points.filter((p) => p.series === s).map((p) => ({ x: p.x, y: p.y })),
      color: COLORS[i % COLORS.length] as string,
      connect: lesson.chart.x !== 'step' || seriesNames.length === 1,
    })),
  ];
  return (
    <ChartFrame
      title={`${lesson.title}: ${axisTitle(y)} ${lesson.chart.x === 'step' ? 'by step' : `against ${x.label}`}`}
      testId="lesson-chart"
      height={props.height ?? 300}
      x={x}
      y={y}
      series={series}
      table={{
        columns: [lesson.chart.x === 'step' ? 'step' : axisTitle(x), axisTitle(y), 'who'],
        rows: [...points, ...classPoints].map((p) => [xText(lesson, p.x), fmt(p.y), p.participant ?? 'you']),
      }}
    />
  );
}
