import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PRESSURE_STATES,
  type PressureSample,
  type PressureScope,
  parsePressureState,
  startPressureRecorder,
  worsePressure,
  worstPressureDuring,
} from './pressure.ts';

describe('worstPressureDuring', () => {
  const samples: PressureSample[] = [
    { epochMs: 100, state: 'fair' },
    { epochMs: 200, state: 'nominal' },
    { epochMs: 300, state: 'critical' },
    { epochMs: 400, state: 'nominal' },
  ];
  it('takes the state in effect at the start and every state reported inside', () => {
    expect(worstPressureDuring(samples, 250, 290)).toBe('nominal'); // reported at 200, still in effect
    expect(worstPressureDuring(samples, 150, 250)).toBe('fair'); // fair at the start, nominal inside
    expect(worstPressureDuring(samples, 250, 350)).toBe('critical');
    expect(worstPressureDuring(samples, 350, 450)).toBe('critical'); // critical until 400
    expect(worstPressureDuring(samples, 450, 500)).toBe('nominal');
  });
  it('is null before anything was reported, and for no samples', () => {
    expect(worstPressureDuring(samples, 10, 90)).toBeNull();
    expect(worstPressureDuring([], 0, 1e9)).toBeNull();
  });
  it('does not depend on the order of the samples', () => {
    const sampleArb = fc.record({
      epochMs: fc.integer({ min: 0, max: 1000 }),
      state: fc.constantFrom(...PRESSURE_STATES),
    });
    fc.assert(
      fc.property(
        fc.array(sampleArb, { maxLength: 20 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 200 }),
        (list, start, length) => {
          const sorted = [...list].sort((a, b) => a.epochMs - b.epochMs || a.state.localeCompare(b.state));
          // Equal timestamps with different states are ambiguous; compare only where they are not.
          fc.pre(new Set(list.map((s) => s.epochMs)).size === list.length);
          expect(worstPressureDuring(list, start, start + length)).toBe(
            worstPressureDuring(sorted.reverse(), start, start + length),
          );
        },
      ),
    );
  });
  it('orders states calmest first', () => {
    expect(worsePressure('fair', 'serious')).toBe('serious');
    expect(worsePressure('critical', 'nominal')).toBe('critical');
    expect(worsePressure(null, 'fair')).toBe('fair');
    expect(worsePressure(null, null)).toBeNull();
    expect(parsePressureState('serious')).toBe('serious');
    expect(parsePressureState('hot')).toBeNull();
  });
});

/** A stand-in for the browser's PressureObserver: tests push records through `emit`. */
function fakeScope(options: { reject?: boolean } = {}) {
  let callback: ((records: Array<{ source: string; state: string; time: number }>) => void) | null = null;
  let disconnected = false;
  class FakeObserver {
    constructor(cb: typeof callback) {
      callback = cb;
    }
    observe(): Promise<void> {
      return options.reject ? Promise.reject(new Error('NotSupportedError')) : Promise.resolve();
    }
    disconnect() {
      disconnected = true;
    }
  }
  const scope: PressureScope = { PressureObserver: FakeObserver, performance: { timeOrigin: 1_000_000 } };
  return {
    scope,
    emit: (state: string, time: number, source = 'cpu') => callback?.([{ source, state, time }]),
    isDisconnected: () => disconnected,
  };
}

describe('startPressureRecorder', () => {
  it('is null where the API is missing or refuses the cpu source', async () => {
    expect(await startPressureRecorder({ performance: { timeOrigin: 0 } })).toBeNull();
    expect(await startPressureRecorder(fakeScope({ reject: true }).scope)).toBeNull();
  });
  it('records cpu states on the epoch clock and ignores what it does not know', async () => {
    const fake = fakeScope();
    const recorder = await startPressureRecorder(fake.scope);
    expect(recorder).not.toBeNull();
    fake.emit('nominal', 10);
    fake.emit('serious', 50);
    fake.emit('boiling', 60);
    fake.emit('critical', 70, 'gpu');
    expect(recorder?.samples()).toEqual([
      { epochMs: 1_000_010, state: 'nominal' },
      { epochMs: 1_000_050, state: 'serious' },
    ]);
    expect(recorder?.worstDuring(1_000_020, 1_000_040)).toBe('nominal');
    expect(recorder?.worstDuring(1_000_020, 1_000_080)).toBe('serious');
    recorder?.stop();
    expect(fake.isDisconnected()).toBe(true);
  });
});
