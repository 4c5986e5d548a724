import { describe, expect, it } from 'vitest';
import { chartAxisTitle } from '../ui/chart-frame.tsx';
import { lessonAxes } from './lesson-chart.tsx';
import { LESSONS } from './lessons.ts';

const lesson = (id: string) => {
  const found = LESSONS.find((l) => l.id === id);
  if (!found) throw new Error(`no lesson ${id}`);
  return found;
};

describe('a lesson chart’s axes', () => {
  it('names the steps on a step axis and says the y axis is on a log scale', () => {
    const { x, y } = lessonAxes(lesson('model-size'));
    expect(x.ticks?.map((t) => x.tickText?.(t))).toEqual(['tiny', 'small', 'medium']);
    expect(chartAxisTitle(x)).toBe('');
    expect(chartAxisTitle(y)).toBe('time per request (ms, log scale)');
  });

  it('gives a setting axis its unit, from 0', () => {
    const { x, y } = lessonAxes(lesson('input-length'));
    expect(chartAxisTitle(x)).toBe('prompt length P (tokens)');
    expect(x.domain).toBeUndefined();
    expect(chartAxisTitle(y)).toBe('time to first token, TTFT (ms)');
    expect(lessonAxes(lesson('caching')).x.domain).toEqual([0, 100]);
  });
});
