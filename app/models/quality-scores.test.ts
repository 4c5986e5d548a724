import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dtype } from '../engine/protocol.ts';
import { syntheticRun } from '../run/synthetic.ts';
import {
  encodeScores,
  loadScores,
  QUALITY_STORAGE_KEY,
  type QualityScoreEntry,
  qualityLookup,
  readScores,
  scoreOf,
  withScores,
} from './quality-scores.ts';

const entry = (
  modelId: string,
  dtype: QualityScoreEntry['dtype'],
  top1Agreement: number,
  weightSha256?: string,
): QualityScoreEntry => ({
  modelId,
  dtype,
  ...(weightSha256 ? { weightSha256 } : {}),
  top1Agreement,
  meanKlNats: 1 - top1Agreement,
  referenceDtype: 'fp32',
  randomWeights: false,
  scoredAt: '2026-12-02T02:00:00.000Z',
});

/** What the verdict asks about: a run of a model's dtype, with its weight file's hash when known. */
const run = (modelId: string, dtype: Dtype, weightSha256?: string) => ({
  settings: syntheticRun(1, { modelId, dtype }).settings,
  ...(weightSha256 ? { weightSha256 } : {}),
});

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

describe('quality score table', () => {
  it('finds a score by model and dtype, and nothing for a variant never scored', () => {
    const t = withScores({}, [entry('small', 'fp32', 1), entry('small', 'q4', 0.82)]);
    expect(scoreOf(t, 'small', 'q4')?.top1Agreement).toBe(0.82);
    expect(qualityLookup(t)(run('small', 'fp32'))?.top1Agreement).toBe(1);
    expect(qualityLookup(t)(run('small', 'q8'))).toBeUndefined();
    expect(qualityLookup(t)(run('tiny', 'q4'))).toBeUndefined();
  });

  it('a score follows the weight file: a Hub copy of the scored file shares it, another file does not', () => {
    const t = withScores({}, [entry('tiny-random-llama', 'q8', 0.93, SHA_A)]);
    const lookup = qualityLookup(t);
    expect(lookup(run('tiny-random-llama', 'q8', SHA_A))?.top1Agreement).toBe(0.93);
    expect(lookup(run('mirror-org/tiny-random-llama', 'q8', SHA_A))?.top1Agreement).toBe(0.93);
    // Same id, regenerated weights: not the file that was scored.
    expect(lookup(run('tiny-random-llama', 'q8', SHA_B))).toBeUndefined();
    // Another dtype of the same model, or another model with the same file name and dtype but no hash.
    expect(lookup(run('tiny-random-llama', 'q4', SHA_A))).toBeUndefined();
    expect(lookup(run('mirror-org/tiny-random-llama', 'q8'))).toBeUndefined();
  });

  it('where either file is unknown, the score of the same model id and dtype serves, as before hashes', () => {
    const hashless = withScores({}, [entry('small', 'q4', 0.8)]);
    expect(qualityLookup(hashless)(run('small', 'q4', SHA_A))?.top1Agreement).toBe(0.8);
    const hashed = withScores({}, [entry('small', 'q4', 0.7, SHA_A)]);
    expect(qualityLookup(hashed)(run('small', 'q4'))?.top1Agreement).toBe(0.7);
    expect(qualityLookup(hashed)(run('small', 'q8'))).toBeUndefined();
  });

  it("scoring a model again replaces all its dtypes' scores and leaves other models alone", () => {
    const first = withScores({}, [
      entry('small', 'fp32', 1),
      entry('small', 'q4', 0.82),
      entry('tiny', 'q8', 0.9),
    ]);
    const again = withScores(first, [entry('small', 'fp32', 1), entry('small', 'q8', 0.97)]);
    expect(scoreOf(again, 'small', 'q4')).toBeUndefined();
    expect(scoreOf(again, 'small', 'q8')?.top1Agreement).toBe(0.97);
    expect(scoreOf(again, 'tiny', 'q8')?.top1Agreement).toBe(0.9);
  });

  it('survives its stored form; storage holding anything else reads as no scores, never throws', () => {
    const t = withScores({}, [entry('org/model', 'q4f16', 0.75, SHA_A), entry('org/model', 'fp16', 1)]);
    expect(readScores(encodeScores(t)).table).toEqual(t);
    expect(readScores(null).table).toEqual({});
    expect(readScores('{"v":3,"scores":[]}').table).toEqual({});
    fc.assert(fc.property(fc.string(), (s) => typeof readScores(s).table === 'object'));
    fc.assert(fc.property(fc.jsonValue(), (j) => typeof readScores(JSON.stringify(j)).table === 'object'));
  });

  it('drops stored entries that do not validate and keeps the rest', () => {
    const good = entry('small', 'q8', 0.95);
    const text = JSON.stringify({
      v: 1,
      scores: [good, { ...good, dtype: 'int3' }, { ...good, top1Agreement: 1.5 }, 'x'],
    });
    expect(Object.values(readScores(text).table)).toEqual([good]);
    expect(
      Object.values(readScores(JSON.stringify({ v: 2, scores: [{ ...good, weightSha256: 'x' }] })).table),
    ).toEqual([]);
  });
});

/** A Storage stand-in over a Map, counting writes. */
function memoryStorage(initial: Record<string, string>) {
  const items = new Map(Object.entries(initial));
  let writes = 0;
  return {
    items,
    writes: () => writes,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => {
      writes += 1;
      items.set(k, v);
    },
    removeItem: (k: string) => {
      writes += 1;
      items.delete(k);
    },
  };
}

describe('scores kept before they were keyed by model identity', () => {
  // What version 1 wrote: entries keyed by model id and dtype, with no weight-file hash.
  const v1 = JSON.stringify({
    v: 1,
    scores: [entry('small-random-llama', 'fp32', 1), entry('small-random-llama', 'q4', 0.7)],
  });

  it('are read once, written back in the current form, and keep serving the runs they served', () => {
    const store = memoryStorage({ [QUALITY_STORAGE_KEY]: v1 });
    const table = loadScores(store);
    expect(store.writes()).toBe(1);
    const rewritten = store.items.get(QUALITY_STORAGE_KEY) ?? '';
    expect(JSON.parse(rewritten).v).toBe(2);
    expect(readScores(rewritten).table).toEqual(table);
    // An embedded run now names its file; the old score, whose file is unknown, still applies to it.
    expect(qualityLookup(table)(run('small-random-llama', 'q4', SHA_A))?.top1Agreement).toBe(0.7);
    expect(qualityLookup(table)(run('small-random-llama', 'q8', SHA_A))).toBeUndefined();
    // The next read finds them migrated: nothing more to write.
    expect(loadScores(store)).toEqual(table);
    expect(store.writes()).toBe(1);
  });

  it('storage that refuses or holds nothing gives an empty table and writes nothing', () => {
    const empty = memoryStorage({});
    expect(loadScores(empty)).toEqual({});
    expect(empty.writes()).toBe(0);
    expect(loadScores(null)).toEqual({});
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => undefined,
      removeItem: () => undefined,
    };
    expect(loadScores(refusing)).toEqual({});
  });
});
