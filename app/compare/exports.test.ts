import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Ms } from '../engine/protocol.ts';
import type { RunResult } from '../run/run.ts';
import { syntheticRun } from '../run/synthetic.ts';
import { csvCell, formatParams, formatSize, meanStd, toCsv, toJsonExport, toMarkdown } from './exports.ts';
import { parseImport } from './import.ts';

/** Splits one CSV line (RFC 4180 quoting) for the assertions. */
function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** A run whose timings are easy to compute by hand: TTFT 100 ms, then a token every 10 ms. */
function handRun(): RunResult {
  const run = syntheticRun(1, { reps: 2, genTokens: 5, promptTokens: 50 });
  run.repetitions = run.repetitions.map((rep, i) => ({
    ...rep,
    ttftMs: 100 as Ms,
    e2eMs: (140 + i * 40) as Ms,
    tokenTimesMs: [100, 110, 120, 130, 140].map((t) => 100 + (t - 100) * (i + 1)) as Ms[],
  }));
  return run;
}

describe('exports', () => {
  it('JSON re-imports to exactly the same runs', () => {
    const runs = [handRun(), syntheticRun(2, { device: 'webgpu', dtype: 'q4' })];
    const back = parseImport(toJsonExport(runs, { rate: 1 }));
    expect(back).toEqual({ ok: true, source: 'lab-export', runs, problems: [], costScenario: { rate: 1 } });
  });

  it('CSV has one row per repetition with hand-checked rates', () => {
    const lines = toCsv([handRun()]).trim().split('\n');
    expect(lines).toHaveLength(3);
    const header = splitCsv(lines[0] ?? '');
    const row = (n: number) => Object.fromEntries(header.map((h, i) => [h, splitCsv(lines[n] ?? '')[i]]));
    // rep 0: TTFT 100 ms, E2E 140 ms, 5 tokens → TPOT 10 ms, decode 100 tok/s, prefill 50/0.1 = 500 tok/s.
    expect(row(1)).toMatchObject({
      rep: '0',
      ttft_ms: '100',
      e2e_ms: '140',
      tpot_ms: '10',
      decode_tok_s: '100',
      prefill_tok_s: '500',
      valid: 'true',
    });
    // rep 1: tokens every 20 ms → TPOT 20 ms, decode 50 tok/s.
    expect(row(2)).toMatchObject({ rep: '1', tpot_ms: '20', decode_tok_s: '50' });
  });

  it('CSV quotes and defuses text from elsewhere', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('Markdown follows llama-bench: pp and tg rows with mean ± std', () => {
    const md = toMarkdown([handRun()], () => ({ parameters: 6_740_000_000, bytes: 3.56 * 1024 ** 3 }));
    const lines = md.trim().split('\n');
    expect(lines[0]).toMatch(/^\| model +\| +size \| +params \| backend +\| +test \| +t\/s \|$/);
    expect(lines[1]).toMatch(/^\| -+ \| -+: \| -+: \| -+ \| -+: \| -+: \|$/);
    // prefill 500 tok/s both reps; decode 100 and 50 → mean 75, sample std 35.36.
    expect(lines[2]).toMatch(
      /\| tiny-random-llama q8 \| +3\.56 GiB \| +6\.74 B \| WASM +\| +pp50 \| +500\.00 ± 0\.00 \|/,
    );
    expect(lines[3]).toMatch(/\| +tg5 \| +75\.00 ± 35\.36 \|/);
  });

  it('Markdown says n/a rather than inventing numbers', () => {
    const run = handRun();
    run.repetitions = [];
    expect(toMarkdown([run])).toMatch(/n\/a +\| +n\/a +\| WASM +\| +pp50 \| +n\/a \|/);
  });

  it('formats sizes like llama-bench', () => {
    expect(formatSize(3.56 * 1024 ** 3)).toBe('3.56 GiB');
    expect(formatSize(5 * 1024 ** 2)).toBe('5.00 MiB');
    expect(formatParams(135_000_000)).toBe('135.00 M');
    expect(meanStd([1, 2, 3])).toEqual({ mean: 2, std: 1 });
  });

  it('Markdown never prints Infinity or NaN, even for rates near the largest double', () => {
    const run = syntheticRun(2, { reps: 3, genTokens: 3, promptTokens: 100_000 });
    // Schema-valid timings: TTFT of a few 1e-300 ms makes prefill ~1e308 tok/s, whose sum overflows.
    run.repetitions = run.repetitions.map((rep, i) => ({
      ...rep,
      ttftMs: ((i + 1) * 1e-300) as Ms,
      e2eMs: ((i + 2) * 1e-300) as Ms,
      tokenTimesMs: [(i + 1) * 1e-300, (i + 1.5) * 1e-300, (i + 2) * 1e-300] as Ms[],
    }));
    const md = toMarkdown([run]);
    expect(md).toMatch(/pp100000 \| +\S+ ± \S+ \|/);
    expect(md).not.toMatch(/Infinity|NaN/);
  });

  it('mean ± std is finite for any finite, non-negative sample', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (values) => {
          const { mean, std } = meanStd(values);
          expect(Number.isFinite(mean) && Number.isFinite(std)).toBe(true);
          expect(mean).toBeGreaterThanOrEqual(Math.min(...values) * (1 - 1e-9));
          expect(mean).toBeLessThanOrEqual(Math.max(...values) * (1 + 1e-9));
        },
      ),
    );
  });

  it('Markdown lists thousands of runs', () => {
    const runs = Array.from({ length: 80_000 }, () => syntheticRun(1, { reps: 1, genTokens: 2 }));
    expect(toMarkdown(runs).trim().split('\n')).toHaveLength(2 + 160_000);
  });
});
