/**
 * Schema 3 records the warm-up until steady and the cold first request. Runs saved, exported or shared before
 * (schema 2, link format 2 without the fields) must still open, with both fields null; new ones carry them.
 */
import { describe, expect, it } from 'vitest';
import type { Ms } from '../engine/protocol.ts';
import { decodeReport, encodeReport, packJson } from './link.ts';
import { RUN_SCHEMA_VERSION, restoreRun, toStored } from './restore.ts';
import type { RunResult } from './run.ts';
import { syntheticRun } from './synthetic.ts';

/** A run as schema 2 wrote it: no `warmup`, no `firstRequest`. */
function schema2Run(): Record<string, unknown> {
  const { warmup: _w, firstRequest: _f, ...old } = syntheticRun(7);
  return old;
}

const measured = (): RunResult => ({
  ...syntheticRun(8),
  warmupMs: 1900,
  warmup: {
    windows: 7,
    tokens: 224,
    steady: true,
    reason: 'steady: the last 3 windows agree within ±10 % (2.40 ms–2.55 ms per token)',
  },
  firstRequest: { promptTokens: 128, generatedTokens: 32, ttftMs: 310 as Ms, e2eMs: 1250 as Ms },
});

function decodedRuns(payload: string): RunResult[] {
  const result = decodeReport(payload);
  if (!result.ok) throw new Error(result.error);
  return result.report.runs;
}

describe('warm-up fields across versions', () => {
  it('reads schema 3 and later (the warm-up was recorded from schema 3)', () => {
    expect(RUN_SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
  });

  it('opens a schema-2 history record with no warm-up record and no first request', () => {
    const run = restoreRun({
      id: 'x',
      createdAt: '2025-01-01T00:00:00.000Z',
      schemaVersion: 2,
      run: schema2Run(),
    });
    expect(run.warmup).toBeNull();
    expect(run.firstRequest).toBeNull();
    expect(run.repetitions).toHaveLength(3);
  });

  it('keeps both through a save and restore', () => {
    const run = measured();
    expect(restoreRun(toStored(run))).toEqual(run);
  });

  it('opens links made before the fields existed, summary and per-token alike', () => {
    const old = schema2Run();
    const perToken = decodedRuns(packJson({ v: 2, d: 1, runs: [old] }));
    expect(perToken[0]).toMatchObject({ warmup: null, firstRequest: null });
    // A summary link as the previous version wrote it (format 2, compact, no `wu`/`fr`).
    const r = syntheticRun(7);
    const s = r.settings;
    const compact = {
      i: r.id,
      c: r.createdAt,
      n: r.name,
      t: r.tags,
      s: [s.modelId, s.sourceKind, s.dtype, s.device, s.promptTokens, s.genTokens, s.reps],
      e: 0,
      l: [r.load.ms, 1, 0],
      w: r.warmupMs,
      st: r.status,
      no: [],
      r: r.repetitions.map((rep) => [rep.rep, rep.promptTokens, 100_000, 900_000, s.genTokens, 0]),
    };
    const summary = decodedRuns(packJson({ v: 2, d: 0, envs: [r.env], runs: [compact] }));
    expect(summary[0]).toMatchObject({ warmup: null, firstRequest: null, warmupMs: r.warmupMs });
    expect(summary[0]?.repetitions).toHaveLength(3);
    const oldPerToken = decodedRuns(packJson([old]));
    expect(oldPerToken[0]?.warmup).toBeNull();
  });

  it('carries the warm-up and the first request in new links of both kinds', () => {
    const run = measured();
    for (const perToken of [true, false]) {
      const [back] = decodedRuns(encodeReport([run], { perToken }));
      expect(back?.warmup).toEqual(run.warmup);
      expect(back?.firstRequest).toEqual(run.firstRequest);
    }
  });

  it('rejects a record whose warm-up is malformed instead of showing nonsense', () => {
    const bad = { ...measured(), warmup: { windows: -1, tokens: 3, steady: 'yes', reason: '' } };
    expect(() => restoreRun(toStored(bad as unknown as RunResult))).toThrow(/warmup/);
  });
});
