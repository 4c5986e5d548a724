/**
 * Writes one model folder in the layout transformers.js loads from local files, and the family's
 * `index.json`. A `.stamp` file (hash of the generator's source, the spec and the seed) lets a
 * rebuild skip models that are already up to date.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { llamaDims, type ModelSpec, modelLabel } from './family.ts';
import {
  buildLlamaModel,
  headDim,
  initLlamaWeights,
  type LlamaDims,
  parameterCount,
  RMS_NORM_EPS,
  ROPE_THETA,
} from './llama.ts';
import {
  EMBEDDED_DTYPES,
  type EmbeddedDtype,
  type ModelManifest,
  type ModelManifestEntry,
} from './manifest.ts';
import { buildVocabulary, logitBias, tokenizerConfigJson, tokenizerJson } from './tokenizer.ts';

/** The file transformers.js v4 loads for each dtype, relative to the model folder. */
export const ONNX_FILES: Readonly<Record<EmbeddedDtype, string>> = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
  q4: 'onnx/model_q4.onnx',
};

const STAMP_FILE = '.stamp';

/** Bump to force regeneration when something outside this folder's sources changes the output. */
const GENERATOR_VERSION = 1;

/** Hash of this folder's generator sources: editing the generator regenerates the models. */
function generatorSourceHash(): string {
  const folder = dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  for (const name of readdirSync(folder).sort()) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
    hash.update(name).update(readFileSync(join(folder, name)));
  }
  return hash.digest('hex');
}

/** What `.stamp` must contain for the folder of `spec` generated from `seed` to be current. */
export function stampFor(spec: ModelSpec, seed: number): string {
  const inputs = JSON.stringify({ GENERATOR_VERSION, source: generatorSourceHash(), spec, seed });
  return `${createHash('sha256').update(inputs).digest('hex')}\n`;
}

/** Everything a model folder holds, with the ONNX files built on demand (they can be large). */
export interface ModelArtifacts {
  readonly dims: LlamaDims;
  readonly parameters: number;
  /** JSON files by path relative to the model folder. */
  readonly jsonFiles: Readonly<Record<string, unknown>>;
  buildOnnx(dtype: EmbeddedDtype): Uint8Array;
}

/** Builds the config, tokenizer and weights of `spec` from `seed`, deterministically. */
export function modelArtifacts(spec: ModelSpec, seed: number): ModelArtifacts {
  const vocabulary = buildVocabulary();
  const dims = llamaDims(spec, vocabulary.size);
  const weights = initLlamaWeights(dims, seed);
  const bias = logitBias(vocabulary);
  const eos = vocabulary.eosTokenId;
  const config = {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: dims.vocabSize,
    hidden_size: dims.hiddenSize,
    intermediate_size: dims.intermediateSize,
    num_hidden_layers: dims.layers,
    num_attention_heads: dims.attentionHeads,
    num_key_value_heads: dims.kvHeads,
    head_dim: headDim(dims),
    max_position_embeddings: spec.maxContextTokens,
    rms_norm_eps: RMS_NORM_EPS,
    rope_theta: ROPE_THETA,
    hidden_act: 'silu',
    tie_word_embeddings: false,
    bos_token_id: eos,
    eos_token_id: eos,
    torch_dtype: 'float32',
    use_cache: true,
    _lab: {
      randomWeights: true,
      purpose: 'timing model, random weights: output is gibberish',
      generator: 'scripts/make-models.ts',
      seed,
    },
  };
  return {
    dims,
    parameters: parameterCount(dims),
    jsonFiles: {
      'config.json': config,
      'generation_config.json': { bos_token_id: eos, eos_token_id: eos, do_sample: false },
      'tokenizer.json': tokenizerJson(vocabulary),
      'tokenizer_config.json': tokenizerConfigJson(spec.maxContextTokens),
    },
    buildOnnx: (dtype) => buildLlamaModel(dims, weights, bias, dtype),
  };
}

export interface ModelFolderResult {
  readonly entry: ModelManifestEntry;
  /** True when the folder was already up to date and nothing was written. */
  readonly upToDate: boolean;
  readonly elapsedMs: number;
}

const jsonText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function manifestEntry(
  folder: string,
  spec: ModelSpec,
  dims: LlamaDims,
  parameters: number,
): ModelManifestEntry {
  const file = (dtype: EmbeddedDtype) => ({
    file: ONNX_FILES[dtype],
    bytes: statSync(join(folder, ONNX_FILES[dtype])).size,
  });
  return {
    id: spec.id,
    label: modelLabel(spec, parameters),
    parameters,
    layers: dims.layers,
    hiddenSize: dims.hiddenSize,
    vocabSize: dims.vocabSize,
    maxContextTokens: spec.maxContextTokens,
    randomWeights: true,
    dtypes: { fp32: file('fp32'), fp16: file('fp16'), q8: file('q8'), q4: file('q4') },
  };
}

const EXPECTED_FILES = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  ...EMBEDDED_DTYPES.map((dtype) => ONNX_FILES[dtype]),
];

/**
 * Writes `root/<spec.id>/` unless its `.stamp` matches and all its files exist (or `force`).
 * The stamp is written last and removed first, so an interrupted run is redone next time.
 */
export function writeModelFolder(
  root: string,
  spec: ModelSpec,
  options: { seed: number; force?: boolean },
): ModelFolderResult {
  const startMs = performance.now();
  const folder = join(root, spec.id);
  const stampPath = join(folder, STAMP_FILE);
  const stamp = stampFor(spec, options.seed);
  const current =
    !options.force &&
    existsSync(stampPath) &&
    readFileSync(stampPath, 'utf8') === stamp &&
    EXPECTED_FILES.every((file) => existsSync(join(folder, file)));

  if (current) {
    // Only the dims are needed for the manifest: no weights are drawn.
    const dims = llamaDims(spec, buildVocabulary().size);
    const entry = manifestEntry(folder, spec, dims, parameterCount(dims));
    return { entry, upToDate: true, elapsedMs: performance.now() - startMs };
  }

  rmSync(stampPath, { force: true });
  mkdirSync(join(folder, 'onnx'), { recursive: true });
  const artifacts = modelArtifacts(spec, options.seed);
  for (const [file, value] of Object.entries(artifacts.jsonFiles))
    writeFileSync(join(folder, file), jsonText(value));
  for (const dtype of EMBEDDED_DTYPES)
    writeFileSync(join(folder, ONNX_FILES[dtype]), artifacts.buildOnnx(dtype));
  writeFileSync(stampPath, stamp);
  const entry = manifestEntry(folder, spec, artifacts.dims, artifacts.parameters);
  return { entry, upToDate: false, elapsedMs: performance.now() - startMs };
}

/** Writes `root/index.json` if its content changed (a rewrite would wake dev-server file watchers). */
export function writeManifest(root: string, manifest: ModelManifest): void {
  const path = join(root, 'index.json');
  const text = jsonText(manifest);
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
  mkdirSync(root, { recursive: true });
  writeFileSync(path, text);
}

/** The architecture recorded in a model folder's `config.json`. */
export function readLlamaDims(folder: string): LlamaDims {
  const config: unknown = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
  if (typeof config !== 'object' || config === null) throw new Error(`${folder}/config.json: not an object`);
  const field = (key: string): number => {
    const value: unknown = Reflect.get(config, key);
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`config.json: ${key} missing`);
    return value;
  };
  return {
    hiddenSize: field('hidden_size'),
    layers: field('num_hidden_layers'),
    attentionHeads: field('num_attention_heads'),
    kvHeads: field('num_key_value_heads'),
    intermediateSize: field('intermediate_size'),
    vocabSize: field('vocab_size'),
  };
}
