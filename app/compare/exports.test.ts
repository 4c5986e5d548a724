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
});
