import { describe, expect, it } from 'vitest';
import { encodeReport, reportUrl } from '../run/link.ts';
import { syntheticRun } from '../run/synthetic.ts';
import { EXPORT_FORMAT, toJsonExport } from './exports.ts';
import { parseImport } from './import.ts';

const benchRow = {
  model: 'tiny-random-llama',
  dtype: 'q8',
  device: 'wasm',
  n_prompt: 64,
  n_gen: 4,
  reps: 2,
  ttft_ms: 20,
  prefill_tok_s: 3200,
  tpot_ms: 5,
  decode_tok_s: 200,
  samples: [
    { ttft_ms: 20, e2e_ms: 35, token_times_ms: [20, 25, 30, 35] },
    { ttft_ms: 21, e2e_ms: 36, token_times_ms: [21, 26, 31, 36] },
  ],
};

describe('imports', () => {
  it("reads the bench CLI's JSON into runs", () => {
    const result = parseImport(
      JSON.stringify([benchRow, { ...benchRow, device: 'webgpu' }]),
      new Date('2025-03-01T00:00:00Z'),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.source).toBe('bench-cli');
    expect(result.runs).toHaveLength(2);
    const run = result.runs[0];
    expect(run?.settings).toEqual({
      modelId: 'tiny-random-llama',
      sourceKind: 'embedded',
      dtype: 'q8',
      device: 'wasm',
      promptTokens: 64,
      genTokens: 4,
      reps: 2,
    });
    expect(run?.repetitions[1]?.tokenTimesMs).toEqual([21, 26, 31, 36]);
    expect(run?.createdAt).toBe('2025-03-01T00:00:00.000Z');
    // The same file twice gives the same ids, so the history can tell it is a duplicate.
    const again = parseImport(JSON.stringify([benchRow]), new Date('2025-03-01T00:00:00Z'));
    expect(again.ok && again.runs[0]?.id).toBe(run?.id);
  });

  it("keeps where a bench row was measured: the bench CLI's environment object", () => {
    const environment = {
      user_agent: 'Mozilla/5.0 HeadlessChrome/156.0.0.0',
      transformers_version: '4.3.1',
      onnxruntime_version: '1.31.0-dev',
      cross_origin_isolated: true,
      wasm_threads: 1,
      hardware_concurrency: 2,
      timer_resolution_ms: 0.005,
      adapter: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' },
      software_adapter: true,
    };
    const result = parseImport(JSON.stringify([{ ...benchRow, device: 'webgpu', environment }]));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.runs[0]?.env).toEqual({
      userAgent: 'Mozilla/5.0 HeadlessChrome/156.0.0.0',
      transformersVersion: '4.3.1',
      onnxruntimeVersion: '1.31.0-dev',
      device: 'webgpu',
      adapter: {
        vendor: 'google',
        architecture: 'swiftshader',
        device: '',
        description: '',
        isFallbackAdapter: true,
        features: [],
        limits: {},
      },
      crossOriginIsolated: true,
      wasmThreads: 1,
      hardwareConcurrency: 2,
      timerResolutionMs: 0.005,
    });
  });

  it('skips bad bench rows with a reason and keeps the good ones', () => {
    const result = parseImport(
      JSON.stringify([benchRow, { ...benchRow, dtype: 'int3' }, { ...benchRow, device: 'tpu' }]),
    );
    expect(result.ok && result.runs).toHaveLength(1);
    expect(result.ok && result.problems).toEqual([
      expect.stringMatching(/Bench row 2 was skipped: dtype/),
      expect.stringMatching(/Bench row 3 was skipped: device "tpu"/),
    ]);
  });

  it('upgrades runs saved by the first version (no tags, notes or hidden flags)', () => {
    const run = syntheticRun(3);
    const { tags: _t, notes: _n, ...old } = run;
    const oldRun = { ...old, repetitions: run.repetitions.map(({ hidden: _h, ...rep }) => rep) };
    const result = parseImport(JSON.stringify([oldRun]));
    expect(result.ok && result.runs).toEqual([run]);
  });

  it('reads pasted result links, and says which ones are broken', () => {
    const a = reportUrl('http://x.org/', encodeReport([syntheticRun(1)]));
    const b = reportUrl('http://x.org/', encodeReport([syntheticRun(2), syntheticRun(3)]));
    const result = parseImport(`${a}\n\n${b}\n${b.slice(0, 60)}`);
    expect(result.ok && result.runs.map((r) => r.id)).toEqual(['syn-1', 'syn-2', 'syn-3']);
    expect(result.ok && result.problems).toEqual([
      expect.stringMatching(/^Link 3: The link is damaged or cut short/),
    ]);
  });

  it.each([
    ['', /empty/],
    ['{"format":"inference-cost-lab/results","version":1,"runs":[', /not valid JSON/],
    [
      '{"format":"inference-cost-lab/results","version":9,"runs":[]}',
      /newer version of the lab \(version 9\)/,
    ],
    ['{"hello":1}', /not results/],
    ['[]', /empty list/],
    ['42', /No result link/],
    ['"text"', /No result link/],
    ['just some words', /No result link/],
    [
      JSON.stringify([{ ...syntheticRun(1), settings: { modelId: 'x' } }]),
      /No run in the file could be read\. Run 1 was skipped: settings\.sourceKind/,
    ],
  ])('explains a bad file (%#)', (text, message) => {
    const result = parseImport(text);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(message) });
  });

  it('keeps good runs of a tampered export and lists the bad one', () => {
    const file = JSON.parse(toJsonExport([syntheticRun(1), syntheticRun(2)]));
    file.runs[1].repetitions[0].ttftMs = -5;
    const result = parseImport(JSON.stringify(file));
    expect(result.ok && result.runs.map((r) => r.id)).toEqual(['syn-1']);
    expect(result.ok && result.problems).toEqual([
      expect.stringMatching(/Run 2 was skipped: repetitions\.0\.ttftMs/),
    ]);
  });

  describe('messages quote at most a short piece of what they were given', () => {
    const huge = 'k'.repeat(1_000_000);
    const messageOf = (text: string): string => {
      const result = parseImport(text);
      return result.ok ? result.problems.join(' ') : result.error;
    };
    it.each([
      [
        'a million-character key',
        () => {
          const run = syntheticRun(1, { device: 'webgpu' });
          const adapter = { ...run.env.adapter, limits: { [huge]: 1 } };
          return JSON.stringify([{ ...run, env: { ...run.env, adapter } }]);
        },
      ],
      [
        'a million-character version',
        () => JSON.stringify({ format: EXPORT_FORMAT, version: huge, runs: [] }),
      ],
      ['a million-character device', () => JSON.stringify([{ ...benchRow, device: huge }])],
      ['a million characters of garbage', () => `{"a": ${huge}}`],
    ])('%s', (_, file) => {
      const message = messageOf(file());
      expect(message.length).toBeGreaterThan(20);
      expect(message.length).toBeLessThan(600);
    });
  });
});
