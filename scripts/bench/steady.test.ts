import { describe, expect, it } from 'vitest';
import type { Spread } from '../../app/run/stats.ts';
import { orderVerdicts, parseSteadyArgs, repeatVerdicts, type SteadyRun } from './steady.ts';

const spreadOf = (median: number, min: number, max: number): Spread => ({ median, min, max, n: 5 });
const run = (model: string, browser: number, position: number, decode: Spread | null): SteadyRun => ({
  model,
  browser,
  position,
  decodeTokPerS: decode,
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
  it('fails a model one browser could not measure', () => {
    const [v] = repeatVerdicts([run('small', 0, 0, spreadOf(400, 390, 410)), run('small', 1, 0, null)]);
    expect(v?.pass).toBe(false);
  });
});

describe('orderVerdicts', () => {
  it('passes when each order’s median lies in the other’s range', () => {
    const runs = [
      run('tiny', 0, 0, spreadOf(1000, 900, 1100)),
      run('medium', 0, 1, spreadOf(84, 80, 88)),
      run('medium', 1, 0, spreadOf(82, 79, 86)),
      run('tiny', 1, 1, spreadOf(1050, 980, 1120)),
    ];
    expect(orderVerdicts(runs, ['tiny', 'medium']).map((v) => v.pass)).toEqual([true, true]);
  });
  it('fails the issue’s case: the model measured first looks 3× slower', () => {
    const runs = [
      run('small', 0, 0, spreadOf(138, 120, 160)),
      run('medium', 0, 1, spreadOf(84, 80, 88)),
      run('medium', 1, 0, spreadOf(27, 25, 30)),
      run('small', 1, 1, spreadOf(315, 300, 330)),
    ];
    expect(orderVerdicts(runs, ['small', 'medium']).map((v) => v.pass)).toEqual([false, false]);
  });
});
