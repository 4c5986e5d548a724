import { describe, expect, it } from 'vitest';
import type { Spread } from '../../app/run/stats.ts';
import { orderVerdicts, parseSteadyArgs, repeatVerdicts, type SteadyRun } from './steady.ts';

const spreadOf = (median: number, min: number, max: number): Spread => ({ median, min, max, n: 5 });
const run = (model: string, browser: number, position: number, decode: Spread | null): SteadyRun => ({
  model,
  browser,
  position,
  decodeTokPerS: decode,
  ttftMs: null,
  noise: '',
  status: decode === null ? 'failed' : 'complete',
  warmup: '',
});

describe('parseSteadyArgs', () => {
  it('defaults to both checks on small+medium and tiny↔medium, q8 wasm, 3 browsers', () => {
    const parsed = parseSteadyArgs([]);
    expect(parsed.kind).toBe('plan');
    if (parsed.kind !== 'plan') return;
    expect(parsed.plan).toMatchObject({
      checks: ['repeat', 'order'],
      repeatModels: ['small-random-llama', 'medium-random-llama'],
      orderModels: ['tiny-random-llama', 'medium-random-llama'],
      browsers: 3,
      dtype: 'q8',
      device: 'wasm',
      reps: 5,
    });
  });
  it('names the bad argument', () => {
    expect(parseSteadyArgs(['--check', 'speed'])).toMatchObject({
      kind: 'error',
      message: /--check "speed"/,
    });
    expect(parseSteadyArgs(['--order', 'a'])).toMatchObject({ kind: 'error', message: /exactly two/ });
    expect(parseSteadyArgs(['-r', '1'])).toMatchObject({ kind: 'error', message: /-r must be/ });
    expect(parseSteadyArgs(['--browsers', 'x'])).toMatchObject({ kind: 'error', message: /--browsers/ });
    expect(parseSteadyArgs(['-m', 'org/model'])).toMatchObject({ kind: 'error' });
  });
});

describe('repeatVerdicts', () => {
  it('passes medians within 10 % of each other (max/min − 1) and fails wider ones', () => {
    const runs = [
      run('small', 0, 0, spreadOf(400, 380, 420)),
      run('medium', 0, 1, spreadOf(80, 78, 82)),
      run('small', 1, 0, spreadOf(436, 400, 450)), // 436 / 400 − 1 = 9 %
      run('medium', 1, 1, spreadOf(92, 90, 95)), // 92 / 80 − 1 = 15 %
    ];
    const [small, medium] = repeatVerdicts(runs);
    expect(small).toMatchObject({ model: 'small', medians: [400, 436], pass: true });
    expect(small?.relativeSpread).toBeCloseTo(0.09, 12);
    expect(medium).toMatchObject({ model: 'medium', pass: false });
    expect(medium?.relativeSpread).toBeCloseTo(0.15, 12);
  });
  it('counts every run in the verdict, and tells apart the spread of the runs the lab did not flag noisy', () => {
    const noisy = { ...run('medium', 2, 1, spreadOf(67, 55, 84)), noise: 'drift +45 %' };
    const [v] = repeatVerdicts([
      run('medium', 0, 1, spreadOf(84, 80, 90)),
      run('medium', 1, 1, spreadOf(78, 75, 81)),
      noisy,
    ]);
    expect(v).toMatchObject({ pass: false, quietRuns: 2 });
    expect(v?.relativeSpread).toBeCloseTo(84 / 67 - 1, 12);
    expect(v?.quietSpread).toBeCloseTo(84 / 78 - 1, 12);
  });
  it('fails a model one browser could not measure', () => {
    const [v] = repeatVerdicts([run('small', 0, 0, spreadOf(400, 390, 410)), run('small', 1, 0, null)]);
    expect(v?.pass).toBe(false);
  });
});

describe('orderVerdicts', () => {
  const median = (m: number) => spreadOf(m, m * 0.99, m * 1.01);
  it('passes when each order’s median (over fresh browsers) lies in the other order’s range across browsers', () => {
    // Fresh browsers drift ±5 % while each run's repetitions agree within 1 %: the order changes nothing.
    const runs = [
      run('tiny', 0, 0, median(1000)),
      run('medium', 0, 1, median(84)),
      run('medium', 1, 0, median(82)),
      run('tiny', 1, 1, median(1050)),
      run('tiny', 2, 0, median(1060)),
      run('medium', 2, 1, median(80)),
      run('medium', 3, 0, median(85)),
      run('tiny', 3, 1, median(990)),
    ];
    const verdicts = orderVerdicts(runs, ['tiny', 'medium']);
    expect(verdicts.map((v) => v.pass)).toEqual([true, true]);
    expect(verdicts[0]).toMatchObject({ first: [1000, 1060], second: [1050, 990] });
    expect(verdicts[0]?.orderEffect).toBeCloseTo(1030 / 1020 - 1, 12);
    // The wider of the two groups: 1050 / 990 (measured second) beats 1060 / 1000.
    expect(verdicts[0]?.browserSpread).toBeCloseTo(1050 / 990 - 1, 12);
  });
  it('fails the issue’s case: the model measured first looks 3× slower, in every browser', () => {
    const runs = [
      run('small', 0, 0, median(138)),
      run('medium', 0, 1, median(84)),
      run('medium', 1, 0, median(27)),
      run('small', 1, 1, median(315)),
      run('small', 2, 0, median(150)),
      run('medium', 2, 1, median(80)),
      run('medium', 3, 0, median(30)),
      run('small', 3, 1, median(300)),
    ];
    const verdicts = orderVerdicts(runs, ['small', 'medium']);
    expect(verdicts.map((v) => v.pass)).toEqual([false, false]);
    expect(verdicts[0]?.orderEffect).toBeLessThan(-0.5);
  });
  it('fails a smaller order effect that stands clear of the browser-to-browser spread', () => {
    const runs = [
      run('tiny', 0, 0, median(900)),
      run('tiny', 1, 1, median(1000)),
      run('tiny', 2, 0, median(905)),
      run('tiny', 3, 1, median(1010)),
    ];
    expect(orderVerdicts(runs, ['tiny', 'medium'])[0]?.pass).toBe(false);
  });
  it('fails a model one browser could not measure', () => {
    const runs = [run('tiny', 0, 0, median(900)), run('tiny', 1, 1, null)];
    expect(orderVerdicts(runs, ['tiny', 'medium'])[0]).toMatchObject({ pass: false });
  });
});
