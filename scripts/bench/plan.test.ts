import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benchCases, parseBenchArgs, parseCompareArgs, splitList } from './plan.ts';

function plan(argv: string[], env: Record<string, string> = {}) {
  const outcome = parseBenchArgs(argv, env);
  if (outcome.kind !== 'plan') throw new Error(outcome.kind === 'error' ? outcome.message : 'help');
  return outcome.plan;
}

function error(argv: string[]): string {
  const outcome = parseBenchArgs(argv);
  if (outcome.kind !== 'error') throw new Error(`expected an error for ${argv.join(' ')}`);
  return outcome.message;
}

describe('splitList', () => {
  it('splits repeated flags and commas, trims, drops blanks and duplicates', () => {
    expect(splitList(['a,b', ' c ', 'a', ',,'])).toEqual(['a', 'b', 'c']);
    expect(splitList(undefined)).toEqual([]);
  });
});

describe('bench --npl', () => {
  it('takes B as a list like llama-batched-bench and runs each B at every P', () => {
    const p = plan(['--npl', '1,2,4', '--npl', '8', '-p', '16,32']);
    expect(p.parallelSequences).toEqual([1, 2, 4, 8]);
    expect(benchCases(p).map((c) => [c.settings.promptTokens, c.settings.parallelSequences ?? 1])).toEqual([
      [16, 1],
      [16, 2],
      [16, 4],
      [16, 8],
      [32, 1],
      [32, 2],
      [32, 4],
      [32, 8],
    ]);
    // B = 1 is a plain single-stream run, saved without the setting as the Measure page saves it.
    expect(benchCases(p)[0]?.settings).not.toHaveProperty('parallelSequences');
    expect(plan([]).parallelSequences).toEqual([1]);
  });

  it('refuses a B out of range or not a whole number', () => {
    expect(error(['--npl', '0'])).toBe('--npl must be between 1 and 256, not 0.');
    expect(error(['--npl', '1,300'])).toBe('--npl must be between 1 and 256, not 300.');
    expect(error(['--npl', '2.5'])).toBe('--npl must be a whole number, not "2.5".');
  });
});

describe('parseBenchArgs', () => {
  it('has llama-bench-like defaults', () => {
    const p = plan([]);
    expect(p).toMatchObject({
      models: ['tiny-random-llama'],
      dtypes: ['q8'],
      devices: ['wasm'],
      promptTokens: [64],
      genTokens: [32],
      reps: 3,
      output: 'md',
    });
    expect(p.harness).toEqual({
      chromiumPath: null,
      distDir: 'dist',
      build: 'auto',
      port: 0,
      hubHost: null,
      caseTimeoutMs: 600_000,
    });
  });

  it('reads short and long flags, lists and repeats', () => {
    const p = plan([
      '-m',
      'tiny-random-llama,small-random-llama',
      '-t',
      'q8',
      '-t',
      'q4',
      '-d',
      'wasm,webgpu',
    ]);
    expect(p.models).toEqual(['tiny-random-llama', 'small-random-llama']);
    expect(p.dtypes).toEqual(['q8', 'q4']);
    expect(p.devices).toEqual(['wasm', 'webgpu']);
    const q = plan([
      '--n-prompt',
      '128,512',
      '--n-gen=16',
      '--repetitions',
      '5',
      '--output',
      'json',
      '--no-build',
    ]);
    expect(q).toMatchObject({ promptTokens: [128, 512], genTokens: [16], reps: 5, output: 'json' });
    expect(q.harness.build).toBe('never');
  });

  it('takes Chromium from --chromium, else $CHROMIUM_PATH', () => {
    expect(plan([], { CHROMIUM_PATH: '/opt/c' }).harness.chromiumPath).toBe('/opt/c');
    expect(plan(['--chromium', '/x/chrome'], { CHROMIUM_PATH: '/opt/c' }).harness.chromiumPath).toBe(
      '/x/chrome',
    );
  });

  it('names the bad argument', () => {
    expect(error(['-t', 'int3'])).toMatch(/-t "int3" is unknown/);
    expect(error(['-d', 'cuda'])).toMatch(/-d "cuda"/);
    expect(error(['-p', '0'])).toMatch(/-p must be between 1 and 32768/);
    expect(error(['-n', '1'])).toMatch(/-n must be between 2/);
    expect(error(['-r', 'three'])).toMatch(/-r must be a whole number/);
    expect(error(['-o', 'xml'])).toMatch(/-o "xml"/);
    expect(error(['--frobnicate'])).toMatch(/frobnicate/);
    expect(error(['--build', '--no-build'])).toMatch(/contradict/);
    expect(error(['-m', '../etc'])).toMatch(/not a valid model id/);
  });

  it('keeps the bench offline unless a hub host is given', () => {
    expect(error(['-m', 'onnx-community/Qwen3-0.6B-ONNX'])).toMatch(/--hub-host/);
    const p = plan(['-m', 'org/model', '--hub-host', 'http://127.0.0.1:9000']);
    expect(benchCases(p)[0]?.source).toEqual({
      kind: 'hub',
      id: 'org/model',
      host: 'http://127.0.0.1:9000/',
    });
    expect(error(['--hub-host', 'ftp://x'])).toMatch(/http/);
  });

  it('answers --help', () => {
    expect(parseBenchArgs(['-h']).kind).toBe('help');
  });

  it('never throws, whatever the arguments', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.constantFrom('-m', '-t', '-d', '-p', '-n', '-r', '-o'))),
        (argv) => {
          expect(['plan', 'help', 'error']).toContain(parseBenchArgs(argv).kind);
          expect(['plan', 'help', 'error']).toContain(parseCompareArgs(argv).kind);
        },
      ),
    );
  });
});

describe('benchCases', () => {
  it('is the cross product, model outermost so a loaded model is reused', () => {
    const cases = benchCases(plan(['-m', 'a,b', '-t', 'q8,q4', '-d', 'wasm', '-p', '16,32', '-r', '2']));
    expect(cases).toHaveLength(2 * 2 * 1 * 2);
    expect(cases.map((c) => `${c.settings.modelId}/${c.settings.dtype}/${c.settings.promptTokens}`)).toEqual([
      'a/q8/16',
      'a/q8/32',
      'a/q4/16',
      'a/q4/32',
      'b/q8/16',
      'b/q8/32',
      'b/q4/16',
      'b/q4/32',
    ]);
    expect(cases[0]).toEqual({
      source: { kind: 'embedded', id: 'a' },
      settings: {
        modelId: 'a',
        sourceKind: 'embedded',
        dtype: 'q8',
        device: 'wasm',
        promptTokens: 16,
        genTokens: 32,
        reps: 2,
      },
    });
  });
});

describe('parseCompareArgs', () => {
  it('defaults to the small model, q8 on WASM, P=64 G=64, 3 reps, 5 rounds', () => {
    const outcome = parseCompareArgs([]);
    if (outcome.kind !== 'plan') throw new Error('expected a plan');
    expect(outcome.plan.case.settings).toEqual({
      modelId: 'small-random-llama',
      sourceKind: 'embedded',
      dtype: 'q8',
      device: 'wasm',
      promptTokens: 64,
      genTokens: 64,
      reps: 3,
    });
    expect(outcome.plan.rounds).toBe(5);
  });

  it('refuses Hub models and bad rounds', () => {
    expect(parseCompareArgs(['-m', 'org/model']).kind).toBe('error');
    expect(parseCompareArgs(['--rounds', '0']).kind).toBe('error');
  });
});
