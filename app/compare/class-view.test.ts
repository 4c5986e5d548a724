/**
 * The class view's core: runs grouped by who measured them (not only by machine), one leaderboard per model
 * file wherever it was served from, and the gathered results kept across reloads.
 */
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../run/run.ts';
import { isSummaryOnly } from '../run/schema.ts';
import { syntheticRun } from '../run/synthetic.ts';
import { deserialiseClass, MAX_SAVED_CHARS, serialiseClass } from './class-store.ts';
import { describeSeats, leaderboards, seatsOf } from './comparison.ts';

const SHA = 'ab'.repeat(32);
const LAPTOP =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

/** A run on the classroom's standard laptop, by `participant` (none when undefined). */
const onLaptop = (seed: number, participant?: string, extra: Partial<RunResult> = {}): RunResult => ({
  ...syntheticRun(seed, { modelId: 'tiny-random-llama', dtype: 'q4', userAgent: LAPTOP, id: `r${seed}` }),
  ...(participant ? { participant } : {}),
  ...extra,
});

describe('grouping a class by participant', () => {
  it('keeps three students on identical laptops apart', () => {
    const runs = [onLaptop(1, 'Ana'), onLaptop(2, 'Ana'), onLaptop(3, 'Ben'), onLaptop(4, 'Chloé')];
    expect(seatsOf(runs)).toEqual({ seats: 3, participants: 3, unnamed: 0 });
    expect(describeSeats(seatsOf(runs))).toBe('3 participants');
    const [board] = leaderboards(runs);
    expect(board?.rows.map((r) => r.participant).sort()).toEqual(['Ana', 'Ben', 'Chloé']);
    expect(board?.rows.find((r) => r.participant === 'Ana')?.runs).toBe(2);
  });

  it('falls back to the machine for runs without a name, and says so', () => {
    const runs = [onLaptop(1, 'Ana'), onLaptop(2), onLaptop(3)];
    expect(describeSeats(seatsOf(runs))).toBe('1 participant and 1 unnamed machine');
    expect(describeSeats(seatsOf([onLaptop(2)]))).toBe('1 machine');
  });
});

describe('one leaderboard per model file', () => {
  it('puts the same file embedded and from a room mirror on one board, naming both sources', () => {
    const embedded = onLaptop(1, 'Ana', { weightSha256: SHA });
    const mirrored = onLaptop(2, 'Ben', {
      weightSha256: SHA,
      hubHost: 'https://room.local:8443',
      settings: { ...embedded.settings, modelId: 'lab/tiny-random-llama', sourceKind: 'hub' },
    });
    const boards = leaderboards([embedded, mirrored]);
    expect(boards).toHaveLength(1);
    expect(boards[0]?.modelName).toBe('tiny-random-llama');
    expect(boards[0]?.rows).toHaveLength(2);
    expect(boards[0]?.servedAs).toEqual(['embedded', 'lab/tiny-random-llama from https://room.local:8443']);
  });

  it('keeps two different files of one name on two boards', () => {
    const boards = leaderboards([
      onLaptop(1, 'Ana', { weightSha256: SHA }),
      onLaptop(2, 'Ben', { weightSha256: 'cd'.repeat(32) }),
    ]);
    expect(boards).toHaveLength(2);
  });
});

describe('the saved class view', () => {
  it('comes back from a reload with its links, runs and last report', () => {
    const state = {
      text: 'https://lab/#report=abc\nhttps://lab/#report=def',
      runs: [onLaptop(1, 'Ana', { weightSha256: SHA }), onLaptop(2, 'Ben')],
      report: { duplicates: 1, problems: ['Link 2: damaged'] },
    };
    const back = deserialiseClass(serialiseClass(state));
    expect(back.text).toBe(state.text);
    expect(back.report).toEqual(state.report);
    expect(back.runs.map((r) => [r.id, r.participant, r.weightSha256])).toEqual([
      ['r1', 'Ana', SHA],
      ['r2', 'Ben', undefined],
    ]);
    // With per-token timings while they fit.
    expect(back.runs[0]?.repetitions[0]?.tokenTimesMs).toEqual(state.runs[0]?.repetitions[0]?.tokenTimesMs);
  });

  it('stays within its share of localStorage, dropping per-token detail before dropping runs', () => {
    // 300 runs × 5 repetitions × 256 tokens: about 2.2 million characters with every token's time.
    const runs = Array.from({ length: 300 }, (_, i) =>
      syntheticRun(i + 1, { genTokens: 256, reps: 5, id: `big${i}` }),
    );
    const saved = serialiseClass({ text: '', runs, report: null });
    expect(saved.length).toBeLessThanOrEqual(MAX_SAVED_CHARS);
    const back = deserialiseClass(saved).runs;
    expect(back).toHaveLength(300);
    expect(back.every(isSummaryOnly)).toBe(true);
  });

  it('opens whatever is stored without throwing, and says when saved runs no longer open', () => {
    expect(deserialiseClass(null).runs).toEqual([]);
    expect(deserialiseClass('{broken').runs).toEqual([]);
    expect(deserialiseClass('42').text).toBe('');
    const damaged = deserialiseClass(JSON.stringify({ v: 1, text: 'x', runs: 'not-a-payload' }));
    expect(damaged.text).toBe('x');
    expect(damaged.report?.problems[0]).toMatch(/class results saved in this browser/);
  });
});
