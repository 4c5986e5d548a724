/**
 * End-to-end checks of the generated models: deterministic bytes, the `.stamp` skip, KV-cache
 * decoding against full recomputation, agreement of each dtype with fp32 (onnxruntime-node), and
 * loading + generating with transformers.js from a local folder, as the app does.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEED, FAMILY, type ModelSpec } from './family.ts';
import { modelArtifacts, ONNX_FILES, writeModelFolder } from './folder.ts';
import { initLlamaWeights } from './llama.ts';
import { referenceLogits } from './llama-reference.ts';
import { EMBEDDED_DTYPES, type EmbeddedDtype } from './manifest.ts';
import { greedyDecode, openSession, promptLogits, recomputedStepLogits } from './ort-run.ts';
import { buildVocabulary, logitBias } from './tokenizer.ts';

/** Small enough to build in milliseconds, big enough for several q4 blocks per column (K = 128). */
const TEST_SPEC: ModelSpec = {
  id: 'test-random-llama',
  sizeName: 'Test',
  dims: { hiddenSize: 128, layers: 2, attentionHeads: 4, kvHeads: 2, intermediateSize: 256 },
  maxContextTokens: 512,
};

/**
 * Largest |Δlogit| allowed between cached decoding and full recomputation (logits' std here ≈ 0.2).
 * Measured on TEST_SPEC: fp32, fp16 and q4 1.9e-6; q8 1.1e-2 (7-bit weights). q8 cannot match closely: its
 * DynamicQuantizeLinear picks one activation scale per tensor, so a one-token step and a full pass
 * quantize the same row differently. (MatMulNBits quantizes activations per row block: no such effect.)
 */
const KV_TOLERANCE: Record<EmbeddedDtype, number> = { fp32: 1e-4, fp16: 1e-4, q8: 0.05, q4: 1e-4 };

/**
 * Smallest Pearson correlation with fp32 logits, over the entries the logit bias leaves at 0.
 * Measured on TEST_SPEC: fp16 0.99999994, q8 0.99981 (7-bit weights, see quantizeInt8), q4 0.9947. A packing bug
 * gives ~0.
 */
const MIN_CORRELATION: Record<EmbeddedDtype, number> = { fp32: 1, fp16: 0.99999, q8: 0.999, q4: 0.97 };

// Lowercase text as byte tokens: in every model's vocabulary and unaffected by the logit bias.
const PROMPT = Array.from('the lab measures decode speed', (c) => c.charCodeAt(0));
const NEW_TOKENS = 6;

let root: string;
const specFolder = (base: string) => join(root, base);

function filesUnder(folder: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(folder, path), readFileSync(path));
    }
  };
  walk(folder);
  return files;
}

/** Pearson correlation of `a` and `b` over the indices in `keep`. */
function correlation(a: Float32Array, b: Float32Array, keep: readonly number[]): number {
  let meanA = 0;
  let meanB = 0;
  for (const i of keep) {
    meanA += a[i] ?? 0;
    meanB += b[i] ?? 0;
  }
  meanA /= keep.length;
  meanB /= keep.length;
  let covariance = 0;
  let varianceA = 0;
  let varianceB = 0;
  for (const i of keep) {
    const da = (a[i] ?? 0) - meanA;
    const db = (b[i] ?? 0) - meanB;
    covariance += da * db;
    varianceA += da * da;
    varianceB += db * db;
  }
  return covariance / Math.sqrt(varianceA * varianceB);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lab-models-'));
  writeModelFolder(specFolder('a'), TEST_SPEC, { seed: 7 });
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('determinism', () => {
  it('writes byte-identical folders for the same seed', () => {
    writeModelFolder(specFolder('b'), TEST_SPEC, { seed: 7 });
    const a = filesUnder(join(specFolder('a'), TEST_SPEC.id));
    const b = filesUnder(join(specFolder('b'), TEST_SPEC.id));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [file, bytes] of a) expect(bytes.equals(b.get(file) ?? Buffer.alloc(0)), file).toBe(true);
  });

  it('gives different weights for a different seed', () => {
    const seven = modelArtifacts(TEST_SPEC, 7);
    const eight = modelArtifacts(TEST_SPEC, 8);
    for (const dtype of EMBEDDED_DTYPES) {
      const x = Buffer.from(seven.buildOnnx(dtype));
      const y = Buffer.from(eight.buildOnnx(dtype));
      expect(x.length, dtype).toBe(y.length);
      expect(x.equals(y), dtype).toBe(false);
    }
  });
});

describe('stamp', () => {
  it('skips an up-to-date folder and regenerates a stale or incomplete one', () => {
    const folder = join(specFolder('a'), TEST_SPEC.id);
    expect(writeModelFolder(specFolder('a'), TEST_SPEC, { seed: 7 }).upToDate).toBe(true);
    expect(writeModelFolder(specFolder('a'), TEST_SPEC, { seed: 8 }).upToDate).toBe(false);
    expect(writeModelFolder(specFolder('a'), TEST_SPEC, { seed: 7 }).upToDate).toBe(false);
    writeFileSync(join(folder, '.stamp'), 'stale\n');
    expect(writeModelFolder(specFolder('a'), TEST_SPEC, { seed: 7 }).upToDate).toBe(false);
    rmSync(join(folder, ONNX_FILES.q4));
    const result = writeModelFolder(specFolder('a'), TEST_SPEC, { seed: 7 });
    expect(result.upToDate).toBe(false);
    expect(result.entry.dtypes.q4.bytes).toBeGreaterThan(0);
    expect(writeModelFolder(specFolder('a'), TEST_SPEC, { seed: 7 }).upToDate).toBe(true);
  });
});

describe('onnxruntime-node', () => {
  const dims = () => modelArtifacts(TEST_SPEC, 7).dims;
  const modelFile = (dtype: EmbeddedDtype) => join(specFolder('a'), TEST_SPEC.id, ONNX_FILES[dtype]);

  it('fp32 computes the LLaMA forward pass (plain-loop reference, max |Δlogit| < 1e-4)', async () => {
    const session = await openSession(modelFile('fp32'), 1);
    const actual = await promptLogits(session, dims(), PROMPT);
    await session.release();
    const weights = initLlamaWeights(dims(), 7);
    const expected = referenceLogits(dims(), weights, logitBias(buildVocabulary()), PROMPT);
    expect(actual.length).toBe(expected.length);
    let maxDelta = 0;
    actual.forEach((logit, i) => {
      maxDelta = Math.max(maxDelta, Math.abs(logit - (expected[i] ?? Number.NaN)));
    });
    expect(maxDelta).toBeLessThan(1e-4);
  });

  it.each(EMBEDDED_DTYPES)('%s: decoding with the KV cache equals full recomputation', async (dtype) => {
    const session = await openSession(modelFile(dtype), 1);
    const run = await greedyDecode(session, dims(), PROMPT, NEW_TOKENS);
    const recomputed = await recomputedStepLogits(session, dims(), PROMPT, run.tokens);
    let maxDelta = 0;
    run.stepLogits.forEach((row, step) => {
      row.forEach((logit, i) => {
        maxDelta = Math.max(maxDelta, Math.abs(logit - (recomputed[step]?.[i] ?? Number.NaN)));
      });
    });
    expect(maxDelta).toBeLessThan(KV_TOLERANCE[dtype]);
    await session.release();
  });

  it('each dtype gives logits that correlate with fp32', async () => {
    const bias = logitBias(buildVocabulary());
    const vocabSize = bias.length;
    const keep: number[] = [];
    for (let position = 0; position < PROMPT.length; position++) {
      bias.forEach((b, token) => {
        if (b === 0) keep.push(position * vocabSize + token);
      });
    }
    const logits = async (dtype: EmbeddedDtype) => {
      const session = await openSession(modelFile(dtype), 1);
      const result = await promptLogits(session, dims(), PROMPT);
      await session.release();
      return result;
    };
    const reference = await logits('fp32');
    for (const dtype of EMBEDDED_DTYPES) {
      const r = correlation(reference, await logits(dtype), keep);
      expect(r, dtype).toBeGreaterThanOrEqual(MIN_CORRELATION[dtype] - 1e-9);
    }
  });
});

describe('transformers.js (Node, cpu) on the real tiny model', () => {
  const tiny = FAMILY.find((spec) => spec.id === 'tiny-random-llama');
  const maxNewTokens = 10;

  beforeAll(() => {
    if (!tiny) throw new Error('tiny-random-llama missing from FAMILY');
    writeModelFolder(specFolder('family'), tiny, { seed: DEFAULT_SEED });
    env.allowRemoteModels = false;
    env.localModelPath = specFolder('family');
  });

  it('tokenizes and detokenizes text losslessly', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained('tiny-random-llama');
    const text = 'the quick brown fox, and 42 émigrés';
    const ids = tokenizer.encode(text);
    expect(ids.length).toBeLessThan(text.length); // the merges shorten English text
    expect(tokenizer.decode(ids)).toBe(text);
  });

  it.each(EMBEDDED_DTYPES)('%s: loads and generates exactly max_new_tokens tokens', async (dtype) => {
    const tokenizer = await AutoTokenizer.from_pretrained('tiny-random-llama');
    const model = await AutoModelForCausalLM.from_pretrained('tiny-random-llama', { dtype, device: 'cpu' });
    const inputs = tokenizer('the quick brown fox jumps over the lazy dog');
    const promptLength = inputs.input_ids.dims[1] ?? Number.NaN;
    const output = await model.generate({ ...inputs, max_new_tokens: maxNewTokens, do_sample: false });
    if (!(output instanceof Tensor)) throw new Error('generate() did not return a Tensor');
    expect(output.dims).toEqual([1, promptLength + maxNewTokens]);
    await model.dispose();
  });
});
