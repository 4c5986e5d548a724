/**
 * Batching is exact: with fp32 weights, every sequence of a batch (B prompts of the same length in one
 * generate() call, as the lab's worker builds them) generates exactly the tokens it generates alone. Runs
 * transformers.js on onnxruntime-node against a model generated into a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMPT_SEED_TEXT, promptsOfLength } from '../../app/engine/prompt.ts';
import { DEFAULT_SEED, FAMILY } from './family.ts';
import { writeModelFolder } from './folder.ts';

const PROMPT_TOKENS = 24;
const NEW_TOKENS = 12;
const SEQUENCES = 4;

let root: string;

beforeAll(() => {
  const tiny = FAMILY.find((spec) => spec.id === 'tiny-random-llama');
  if (!tiny) throw new Error('tiny-random-llama missing from FAMILY');
  root = mkdtempSync(join(tmpdir(), 'lab-batch-'));
  writeModelFolder(root, tiny, { seed: DEFAULT_SEED });
  env.allowRemoteModels = false;
  env.localModelPath = root;
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const rows = (ids: readonly (readonly number[])[]) =>
  new Tensor('int64', BigInt64Array.from(ids.flat(), BigInt), [ids.length, ids[0]?.length ?? 0]);
const ones = (r: number, n: number) => new Tensor('int64', new BigInt64Array(r * n).fill(1n), [r, n]);

describe('batched generation (fp32, transformers.js on onnxruntime-node)', () => {
  it(`each of ${SEQUENCES} sequences generates exactly the tokens it generates alone`, async () => {
    const tokenizer = await AutoTokenizer.from_pretrained('tiny-random-llama');
    const model = await AutoModelForCausalLM.from_pretrained('tiny-random-llama', {
      dtype: 'fp32',
      device: 'cpu',
    });
    const seed = tokenizer.encode(PROMPT_SEED_TEXT, { add_special_tokens: false });
    const prefix = tokenizer.encode('', { add_special_tokens: true });
    const prompts = promptsOfLength(seed, PROMPT_TOKENS, SEQUENCES, prefix);
    // Different content, same length: the batch needs no padding.
    expect(new Set(prompts.map((p) => p.join(','))).size).toBe(SEQUENCES);
    const generate = async (ids: number[][]) => {
      const out = await model.generate({
        input_ids: rows(ids),
        attention_mask: ones(ids.length, PROMPT_TOKENS),
        max_new_tokens: NEW_TOKENS,
        min_new_tokens: NEW_TOKENS,
        do_sample: false,
      });
      if (!(out instanceof Tensor)) throw new Error('generate() did not return a Tensor');
      return (out.tolist() as bigint[][]).map((row) => row.slice(PROMPT_TOKENS).map(Number));
    };
    const batched = await generate(prompts);
    const alone = [];
    for (const prompt of prompts) alone.push((await generate([prompt]))[0]);
    expect(batched).toHaveLength(SEQUENCES);
    expect(batched.every((row) => row.length === NEW_TOKENS)).toBe(true);
    expect(batched).toEqual(alone);
    // The sequences really differ (a batch of copies would pass trivially).
    expect(new Set(batched.map((r) => r.join(','))).size).toBeGreaterThan(1);
    await model.dispose();
  });
});
