import { describe, expect, it } from 'vitest';
import type { Dtype, Ms } from '../engine/protocol.ts';
import type { RunResult } from '../run/run.ts';
import { syntheticRun } from '../run/synthetic.ts';
import { disagreement } from './comparison.ts';
import { type QualityLookup, recommend, type Verdict } from './verdict.ts';

let seed = 0;
/** A run whose repetitions decode at exactly these speeds (tok/s), 5 tokens each, TTFT 50 ms. */
function run(
  opts: {
    modelId?: string;
    dtype?: Dtype;
    device?: 'wasm' | 'webgpu';
    promptTokens?: number;
    genTokens?: number;
    ua?: string;
    software?: boolean;
  },
  decodes: number[],
): RunResult {
  seed += 1;
  const r = syntheticRun(seed, {
    ...opts,
    id: `r${seed}`,
    reps: decodes.length,
    genTokens: opts.genTokens ?? 5,
    userAgent: opts.ua,
  });
  r.repetitions = r.repetitions.map((rep, i) => {
    const tpot = 1000 / (decodes[i] as number);
    const times = [0, 1, 2, 3, 4].map((k) => 50 + k * tpot) as Ms[];
    return { ...rep, ttftMs: 50 as Ms, e2eMs: times[4] as Ms, tokenTimesMs: times };
  });
  if (opts.software && r.env.adapter) r.env.adapter = { ...r.env.adapter, isFallbackAdapter: true };
  return r;
}

const facts = (modelId: string, dtype: string) => {
  const params: Record<string, number> = { tiny: 1e6, small: 4e6 };
  const perParam: Record<string, number> = { fp32: 4, q8: 1, q4: 0.5 };
  const p = params[modelId];
  const b = perParam[dtype];
  return p && b ? { parameters: p, bytes: p * b } : undefined;
};

const only = (verdicts: Verdict[]): Verdict => {
  expect(verdicts).toHaveLength(1);
  return verdicts[0] as Verdict;
};

describe('recommend', () => {
  it('picks the fastest decoder when its range is clear of the rest, with size, speed and the reason', () => {
    const v = only(
      recommend(
        [
          run({ modelId: 'small', dtype: 'q8' }, [40, 41, 40]),
          run({ modelId: 'small', dtype: 'q4' }, [60, 61, 60]),
          run({ modelId: 'small', dtype: 'fp32' }, [20, 20, 21]),
        ],
        facts,
      ),
    );
    expect(v.kind).toBe('pick');
    if (v.kind !== 'pick') return;
    expect(v.pick).toMatchObject({ modelId: 'small', dtype: 'q4', bytes: 2e6 });
    expect(v.pick.decodeTokPerS.median).toBeCloseTo(60);
    expect(v.pick.ttftMs.median).toBe(50);
    expect(v.runnerUp?.dtype).toBe('q8');
    expect(v.settings).toBe('P128 G5');
    expect(v.reason).toMatch(/Fastest decode at P128 G5: 60\.0 tok\/s against 40\.0 tok\/s.*×1\.50/);
    expect(v.caveats.join(' ')).toMatch(/Quality not scored/);
  });

  it('breaks a tie between quiet, overlapping configurations by the smaller file', () => {
    const v = only(
      recommend(
        [
          run({ modelId: 'small', dtype: 'q8' }, [50, 51, 50]),
          run({ modelId: 'small', dtype: 'q4' }, [50, 50, 51]),
        ],
        facts,
      ),
    );
    expect(v.kind === 'pick' && v.pick.dtype).toBe('q4');
    expect(v.reason).toMatch(/as fast as .* smallest file/);
  });

  it('leaves out variants below the quality bar, and says which bar', () => {
    const quality: QualityLookup = (run) => ({ top1Agreement: run.settings.dtype === 'q4' ? 0.7 : 0.99 });
    const v = only(
      recommend(
        [
          run({ modelId: 'small', dtype: 'q8' }, [40, 40, 41]),
          run({ modelId: 'small', dtype: 'q4' }, [60, 60, 61]),
        ],
        facts,
        { quality },
      ),
    );
    expect(v.kind === 'pick' && v.pick.dtype).toBe('q8');
    expect(v.caveats.join(' ')).toMatch(/1 configuration below the quality bar/);
    expect(v.caveats.join(' ')).not.toMatch(/Quality not scored/);
  });

  it('cannot decide when nothing meets the quality bar', () => {
    const v = only(
      recommend([run({ dtype: 'q8' }, [40, 40]), run({ dtype: 'q4' }, [60, 60])], facts, {
        quality: () => ({ top1Agreement: 0.5 }),
      }),
    );
    expect(v).toMatchObject({ kind: 'undecided', cause: 'quality' });
  });

  it('cannot decide when overlapping candidates are noisy', () => {
    // q4's repetitions vary by far more than 5 % (CV), and its range covers q8's.
    const v = only(
      recommend(
        [
          run({ modelId: 'small', dtype: 'q8' }, [50, 50, 51]),
          run({ modelId: 'small', dtype: 'q4' }, [30, 55, 80]),
        ],
        facts,
      ),
    );
    expect(v).toMatchObject({ kind: 'undecided', cause: 'too-noisy' });
    expect(v.reason).toMatch(/cannot tell them apart/);
  });

  it('cannot decide when repeats of the fastest configuration disagree', () => {
    const v = only(
      recommend(
        [
          run({ modelId: 'small', dtype: 'q4' }, [126, 127, 126]),
          run({ modelId: 'small', dtype: 'q4' }, [669, 670, 668]),
          run({ modelId: 'small', dtype: 'q8' }, [40, 40, 41]),
        ],
        facts,
      ),
    );
    expect(v).toMatchObject({ kind: 'undecided', cause: 'too-noisy' });
    expect(v.reason).toMatch(/disagree \(×5\.3 apart\)/);
  });

  it('cannot decide between configurations measured at different P/G', () => {
    const v = only(
      recommend(
        [
          run({ modelId: 'small', dtype: 'q8', promptTokens: 64 }, [65, 65, 66]),
          run({ modelId: 'small', dtype: 'q4', promptTokens: 512 }, [91, 91, 92]),
        ],
        facts,
      ),
    );
    expect(v).toMatchObject({ kind: 'undecided', cause: 'different-settings' });
    expect(v.reason).toMatch(/P512 G5, P64 G5|P64 G5, P512 G5/);
  });

  it('compares only the P/G most configurations share, and says what it left out', () => {
    const v = only(
      recommend(
        [
          run({ modelId: 'small', dtype: 'q8' }, [40, 40, 41]),
          run({ modelId: 'small', dtype: 'q4' }, [60, 60, 61]),
          run({ modelId: 'tiny', dtype: 'q4', promptTokens: 16 }, [900, 900, 901]),
        ],
        facts,
      ),
    );
    expect(v.kind === 'pick' && v.pick.modelId).toBe('small');
    expect(v.caveats.join(' ')).toMatch(/1 configuration measured at another P\/G left out/);
  });

  it('cannot decide from software-adapter results, and leaves them out beside real ones', () => {
    const software = only(
      recommend(
        [
          run({ device: 'webgpu', dtype: 'fp32', software: true }, [15, 15, 15]),
          run({ device: 'webgpu', dtype: 'q4', software: true }, [20, 20, 20]),
        ],
        facts,
      ),
    );
    expect(software).toMatchObject({ kind: 'undecided', cause: 'software-adapter' });
    expect(software.reason).toMatch(/software adapter/);

    const mixed = only(
      recommend(
        [
          run({ modelId: 'small', device: 'webgpu', dtype: 'q4', software: true }, [15, 15, 15]),
          run({ modelId: 'small', device: 'wasm', dtype: 'q4' }, [400, 400, 401]),
          run({ modelId: 'small', device: 'wasm', dtype: 'q8' }, [300, 300, 301]),
        ],
        facts,
      ),
    );
    expect(mixed.kind === 'pick' && mixed.pick.device).toBe('wasm');
    expect(mixed.caveats.join(' ')).toMatch(/software WebGPU adapter left out/);
  });

  it('cannot decide with one configuration or no valid repetition', () => {
    expect(only(recommend([run({}, [40, 41])], facts))).toMatchObject({
      kind: 'undecided',
      cause: 'one-option',
    });
    const empty = run({}, [40]);
    empty.repetitions = empty.repetitions.map((r) => ({ ...r, partial: true }));
    expect(only(recommend([empty], facts))).toMatchObject({ kind: 'undecided', cause: 'no-valid-runs' });
  });

  it('gives one verdict per machine', () => {
    const other =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/140.0.0.0 Safari/537.36';
    const verdicts = recommend(
      [
        run({ dtype: 'q8' }, [40, 40]),
        run({ dtype: 'q4' }, [60, 60]),
        run({ dtype: 'q8', ua: other }, [90, 90]),
      ],
      facts,
    );
    expect(verdicts.map((v) => [v.machine, v.kind])).toEqual([
      ['Chrome 140 on Linux · 2 cores', 'pick'],
      ['Chrome 140 on macOS · 2 cores', 'undecided'],
    ]);
  });
});

describe('disagreement', () => {
  it('flags identical settings whose medians are ×1.5 apart, and not ordinary run-to-run scatter', () => {
    const d = disagreement([run({}, [126, 125, 127]), run({}, [669, 668, 670])]);
    expect(d?.ratio).toBeCloseTo(669 / 126, 2);
    expect(d?.label).toBe('tiny-random-llama q8 WASM P128 G5');
    expect(d?.runs.map((r) => r.noisy)).toEqual([false, false]);
    expect(disagreement([run({}, [100, 104, 102]), run({}, [103, 101, 105])])).toBeNull();
    // Apart but within 10 %: not flagged.
    expect(disagreement([run({}, [100, 100, 101]), run({}, [105, 105, 106])])).toBeNull();
    // Apart by 20 %: flagged although under ×1.5.
    expect(disagreement([run({}, [100, 100, 101]), run({}, [120, 120, 121])])).not.toBeNull();
  });
});
