/**
 * Model arithmetic from a model's own files: what a decoder-only transformer must hold, move and compute per token.
 *
 * Shapes come from config.json (LLaMA-family names: hidden_size, num_hidden_layers, …; GPT-2 names are accepted
 * too); sizes come from the ONNX files when known, otherwise from bits-per-weight estimates of transformers.js's
 * exports. Every figure is derived, never stored, so it updates with the context length the user picks.
 *
 * Notation: d = hidden size, L = layers, H = attention heads, Hkv = key/value heads, hd = head dim,
 * I = MLP intermediate size, V = vocabulary size.
 */
import { DTYPES, type Dtype } from '../engine/protocol.ts';

/** The shape of a decoder-only transformer, as read from config.json. */
export interface ModelShape {
  modelType: string;
  hiddenSize: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediateSize: number;
  vocabSize: number;
  /** The LM head reuses the embedding matrix (one copy of V×d in the file). */
  tiedEmbeddings: boolean;
  /** SwiGLU-style MLP with gate, up and down projections (3 matrices) rather than up and down (2). */
  gatedMlp: boolean;
  /** Learned absolute position embeddings (GPT-2): a second table of maxContextTokens×d. */
  positionEmbeddings: boolean;
  /** Biases on q, k, v (Qwen2) or on every linear layer (GPT-2). */
  bias: 'none' | 'qkv' | 'all';
  maxContextTokens: number | null;
  /** Defaults the parser had to assume because config.json did not say; shown to the user. */
  assumptions: string[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Model types whose MLP is up → activation → down (no gate). Everything else is assumed gated (LLaMA-style). */
const UNGATED_MLP = new Set(['gpt2', 'gpt_neo', 'gptj', 'gpt_bigcode', 'opt', 'bloom', 'phi', 'falcon']);
/** Model types whose HF config class defaults tie_word_embeddings to true when the key is absent. */
const MAX_DIMENSION = 2 ** 31 - 1;

const TIED_BY_DEFAULT = new Set(['gpt2', 'gpt_neo', 'gemma', 'gemma2', 'gemma3_text', 'opt', 'bloom']);

/**
 * Reads the shape of a decoder-only transformer from config.json.
 * Never throws: anything missing or malformed comes back as a list of messages naming the field.
 */
export function parseModelConfig(raw: unknown): Parsed<ModelShape> {
  if (!isRecord(raw)) return { ok: false, errors: ['config.json is not a JSON object.'] };
  // Multimodal configs nest the language model's config; its fields win.
  const cfg = isRecord(raw.text_config) ? { ...raw, ...raw.text_config } : raw;
  const errors: string[] = [];
  const assumptions: string[] = [];

  const pick = (names: string[]): { name: string; value: unknown } | null => {
    for (const name of names)
      if (cfg[name] !== undefined && cfg[name] !== null) return { name, value: cfg[name] };
    return null;
  };
  const positiveInt = (names: string[], required: boolean): number | null => {
    const found = pick(names);
    const label = names.join(' or ');
    if (!found) {
      if (required) errors.push(`config.json has no ${label}.`);
      return null;
    }
    const v = found.value;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      errors.push(`config.json ${found.name} must be a positive integer, got ${JSON.stringify(v)}.`);
      return null;
    }
    // Every real dimension is far below 2^31; beyond it the products (bytes, FLOPs) stop being finite.
    if (v > MAX_DIMENSION) {
      errors.push(`config.json ${found.name} = ${v} is implausibly large (at most ${MAX_DIMENSION}).`);
      return null;
    }
    return v;
  };

  const modelType = typeof cfg.model_type === 'string' ? cfg.model_type : 'unknown';
  const hiddenSize = positiveInt(['hidden_size', 'n_embd', 'd_model'], true);
  const layers = positiveInt(['num_hidden_layers', 'n_layer', 'num_layers'], true);
  const heads = positiveInt(['num_attention_heads', 'n_head'], true);
  const vocabSize = positiveInt(['vocab_size'], true);
  let kvHeads = positiveInt(['num_key_value_heads'], false);
  let headDim = positiveInt(['head_dim'], false);
  let intermediateSize = positiveInt(['intermediate_size', 'n_inner', 'ffn_dim'], false);
  const maxContextTokens = positiveInt(['max_position_embeddings', 'n_positions', 'n_ctx'], false);
  const gatedMlp = !UNGATED_MLP.has(modelType);

  if (heads !== null && kvHeads === null) {
    kvHeads = cfg.multi_query === true ? 1 : heads;
    if (cfg.multi_query !== true)
      assumptions.push('num_key_value_heads absent: assumed equal to the attention heads.');
  }
  if (heads !== null && kvHeads !== null && heads % kvHeads !== 0) {
    errors.push(`num_attention_heads (${heads}) must be a multiple of num_key_value_heads (${kvHeads}).`);
  }
  if (headDim === null && hiddenSize !== null && heads !== null) {
    if (hiddenSize % heads === 0) headDim = hiddenSize / heads;
    else
      errors.push(
        `config.json has no head_dim and hidden_size (${hiddenSize}) is not a multiple of the heads (${heads}).`,
      );
  }
  if (intermediateSize === null && hiddenSize !== null) {
    if (gatedMlp) errors.push('config.json has no intermediate_size.');
    else {
      intermediateSize = 4 * hiddenSize;
      assumptions.push('n_inner absent: assumed 4 × hidden size (the GPT-2 default).');
    }
  }
  let tiedEmbeddings: boolean;
  if (typeof cfg.tie_word_embeddings === 'boolean') tiedEmbeddings = cfg.tie_word_embeddings;
  else {
    tiedEmbeddings = TIED_BY_DEFAULT.has(modelType);
    assumptions.push(`tie_word_embeddings absent: assumed ${tiedEmbeddings} (the ${modelType} default).`);
  }
  const positionEmbeddings = modelType === 'gpt2' || modelType === 'gpt_neo' || modelType === 'gpt_bigcode';
  if (positionEmbeddings && maxContextTokens === null) errors.push('config.json has no n_positions.');
  const bias: ModelShape['bias'] = UNGATED_MLP.has(modelType)
    ? 'all'
    : modelType === 'qwen2' || cfg.attention_bias === true
      ? 'qkv'
      : 'none';

  if (
    errors.length > 0 ||
    hiddenSize === null ||
    layers === null ||
    heads === null ||
    vocabSize === null ||
    kvHeads === null ||
    headDim === null ||
    intermediateSize === null
  ) {
    return { ok: false, errors: errors.length > 0 ? errors : ['config.json is incomplete.'] };
  }
  return {
    ok: true,
    value: {
      modelType,
      hiddenSize,
      layers,
      heads,
      kvHeads,
      headDim,
      intermediateSize,
      vocabSize,
      tiedEmbeddings,
      gatedMlp,
      positionEmbeddings,
      bias,
      maxContextTokens,
      assumptions,
    },
  };
}

/** Parameter counts by role. */
export interface ParameterCounts {
  total: number;
  /** The token embedding table V×d (plus GPT-2's position table). */
  embedding: number;
  /** A separate LM head V×d; 0 when tied to the embedding. */
  lmHead: number;
  perLayer: number;
  /**
   * Weights that take part in a matrix multiply for every token: every layer's projections and the LM head
   * (V×d, tied or not). The embedding lookup reads one row, so it is not counted.
   */
  matmulPerToken: number;
  /** The largest single weight matrix, in parameters (it must fit one GPU buffer). */
  largestMatrix: number;
}

/**
 * Parameters of a decoder-only transformer.
 *
 * per layer = attention d·(H·hd) + 2·d·(Hkv·hd) + (H·hd)·d
 *           + MLP (gated ? 3 : 2)·d·I
 *           + norms (2·d, doubled with biases) + biases where the architecture has them
 * total     = V·d (+ positions·d) + L·per layer + final norm + (tied ? 0 : V·d)
 *
 * Checked against published counts: Llama-3.2-1B 1,235,814,400; Qwen2.5-0.5B 494,032,768; GPT-2 124,439,808.
 */
export function countParameters(s: ModelShape): ParameterCounts {
  const d = s.hiddenSize;
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  const attention = d * q + 2 * d * kv + q * d;
  const mlp = (s.gatedMlp ? 3 : 2) * d * s.intermediateSize;
  const normWidth = s.bias === 'all' ? 2 : 1; // LayerNorm has a bias; RMSNorm has none
  const norms = 2 * d * normWidth + (s.modelType === 'qwen3' ? 2 * s.headDim : 0);
  const biases =
    s.bias === 'all' ? q + 2 * kv + d + s.intermediateSize + d : s.bias === 'qkv' ? q + 2 * kv : 0;
  const perLayer = attention + mlp + norms + biases;
  const vocabTable = s.vocabSize * d;
  const embedding = vocabTable + (s.positionEmbeddings ? (s.maxContextTokens ?? 0) * d : 0);
  const lmHead = s.tiedEmbeddings ? 0 : vocabTable;
  const finalNorm = d * normWidth;
  return {
    total: embedding + s.layers * perLayer + finalNorm + lmHead,
    embedding,
    lmHead,
    perLayer,
    matmulPerToken: s.layers * (attention + mlp) + vocabTable,
    largestMatrix: Math.max(vocabTable, d * s.intermediateSize, d * q),
  };
}

/**
 * Approximate storage of each dtype as transformers.js exports it, in bits per weight, for the transformer body
 * and for the embedding table. q4 stores 4-bit blocks of 32 with an fp32 (q4) or fp16 (q4f16) scale and keeps the
 * embedding in fp32 / fp16; q8 quantizes everything to 8 bits. Used only when the file size is unknown.
 */
export const DTYPE_BITS: Record<Dtype, { body: number; embedding: number }> = {
  fp32: { body: 32, embedding: 32 },
  fp16: { body: 16, embedding: 16 },
  q8: { body: 8, embedding: 8 },
  q4: { body: 5, embedding: 32 },
  q4f16: { body: 4.5, embedding: 16 },
};

/** Rank of each dtype by precision, 0 the most precise (a Record, so a new dtype must be ranked). */
const PRECISION_RANK: Readonly<Record<Dtype, number>> = { fp32: 0, fp16: 1, q8: 2, q4f16: 3, q4: 4 };

/** Dtypes from most to least precise: the first one measured is the reference the others are compared with. */
export const DTYPES_BY_PRECISION: readonly Dtype[] = [...DTYPES].sort(
  (a, b) => PRECISION_RANK[a] - PRECISION_RANK[b],
);

/**
 * Bytes per KV-cache element: transformers.js keeps the cache in the activation type, fp16 for the fp16 and
 * q4f16 exports and fp32 for the others.
 */
export const kvBytesPerElement = (dtype: Dtype): number => (dtype === 'fp16' || dtype === 'q4f16' ? 2 : 4);

/**
 * KV-cache bytes per token: 2 (K and V) × L × Hkv × hd × bytes per element.
 * E.g. Llama-3.2-1B in fp16: 2 × 16 × 8 × 64 × 2 = 32,768 bytes.
 */
export const kvBytesPerToken = (s: ModelShape, bytesPerElement: number): number =>
  2 * s.layers * s.kvHeads * s.headDim * bytesPerElement;

export interface WeightSize {
  bytes: number;
  /** 'file': the ONNX file's size; 'estimate': from DTYPE_BITS. */
  source: 'file' | 'estimate';
  /**
   * Bytes read from memory for every decoded token: all weights except the untied embedding table, of which the
   * lookup reads a single row. For tied models this equals `bytes`.
   */
  streamedBytes: number;
}

/**
 * Weight bytes for a dtype: the file size when known, else
 * bytes ≈ (body params × body bits + embedding params × embedding bits) / 8.
 * streamedBytes = bytes × (estimated streamed bytes / estimated total bytes).
 */
export function weightSize(s: ModelShape, dtype: Dtype, fileBytes?: number): WeightSize {
  const p = countParameters(s);
  const bits = DTYPE_BITS[dtype];
  const body = p.total - p.embedding;
  const estimate = (body * bits.body + p.embedding * bits.embedding) / 8;
  const notStreamed = s.tiedEmbeddings ? 0 : (p.embedding * bits.embedding) / 8;
  const fraction = estimate > 0 ? (estimate - notStreamed) / estimate : 1;
  const known = fileBytes !== undefined && Number.isFinite(fileBytes) && fileBytes > 0;
  const bytes = known ? fileBytes : estimate;
  return { bytes, source: known ? 'file' : 'estimate', streamedBytes: bytes * fraction };
}

/**
 * Attention FLOPs for one query token attending to `contextTokens` keys:
 * QKᵀ and softmax·V are each 2 × H × hd × context FLOPs per layer → 4 × L × H × hd × context.
 */
export const attentionFlops = (s: ModelShape, contextTokens: number): number =>
  4 * s.layers * s.heads * s.headDim * Math.max(0, contextTokens);

/**
 * FLOPs to decode one token at a context of `contextTokens`: 2 × matmul params (incl. the LM head) + attention.
 * Element-wise work (norms, activations, softmax) is ignored: it is well under 1% for these shapes.
 */
export const decodeFlopsPerToken = (s: ModelShape, contextTokens: number): number =>
  2 * countParameters(s).matmulPerToken + attentionFlops(s, contextTokens);

/**
 * FLOPs to prefill P tokens, total: P × 2 × matmul params + causal attention Σ_{i=1..P} attention(i)
 * = P × 2 × matmul params + 4·L·H·hd·P(P+1)/2. The LM head runs on every position because the exported ONNX graph
 * returns logits for all of them.
 */
export function prefillFlops(s: ModelShape, promptTokens: number): number {
  const p = Math.max(0, promptTokens);
  return p * 2 * countParameters(s).matmulPerToken + 4 * s.layers * s.heads * s.headDim * ((p * (p + 1)) / 2);
}

/** Everything the lab shows for one model in one dtype at one context length. */
export interface ModelArithmetic {
  shape: ModelShape;
  params: ParameterCounts;
  dtype: Dtype;
  weight: WeightSize;
  kvBytesPerToken: number;
  contextTokens: number;
  /** Weights + KV cache for the whole context. */
  memoryBytes: number;
  /** Bytes read to decode one token with `contextTokens` already in the cache: streamed weights + KV read. */
  decodeBytesPerToken: number;
  decodeFlopsPerToken: number;
  /** Prefill of `contextTokens`, divided by the tokens. */
  prefillFlopsPerToken: number;
  /** Largest single weight matrix in bytes, at the dtype's body precision (the embedding at its own). */
  largestTensorBytes: number;
}

/**
 * The arithmetic of one model in one dtype at a context length:
 * memory = weights + KV/token × context; decode bytes/token = streamed weights + KV/token × context.
 */
export function modelArithmetic(
  shape: ModelShape,
  dtype: Dtype,
  contextTokens: number,
  fileBytes?: number,
): ModelArithmetic {
  const params = countParameters(shape);
  const weight = weightSize(shape, dtype, fileBytes);
  const kv = kvBytesPerToken(shape, kvBytesPerElement(dtype));
  const ctx = Math.max(0, Math.floor(contextTokens));
  const bits = DTYPE_BITS[dtype];
  const vocabTableBytes = (shape.vocabSize * shape.hiddenSize * bits.embedding) / 8;
  const largestBodyBytes =
    (Math.max(shape.hiddenSize * shape.intermediateSize, shape.hiddenSize ** 2) * bits.body) / 8;
  return {
    shape,
    params,
    dtype,
    weight,
    kvBytesPerToken: kv,
    contextTokens: ctx,
    memoryBytes: weight.bytes + kv * ctx,
    decodeBytesPerToken: weight.streamedBytes + kv * ctx,
    decodeFlopsPerToken: decodeFlopsPerToken(shape, ctx),
    prefillFlopsPerToken: ctx > 0 ? prefillFlops(shape, ctx) / ctx : 0,
    largestTensorBytes: Math.max(vocabTableBytes, largestBodyBytes),
  };
}

const fixed3 = (v: number): string =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);

/** Formats a count the way model cards do: 1.24 B, 494 M, 12.3 k. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  if (abs >= 1e12) return `${fixed3(n / 1e12)} T`;
  if (abs >= 1e9) return `${fixed3(n / 1e9)} B`;
  if (abs >= 1e6) return `${fixed3(n / 1e6)} M`;
  if (abs >= 1e3) return `${fixed3(n / 1e3)} k`;
  return Number.isInteger(n) ? String(n) : fixed3(n);
}

/** Formats a quantity with an SI prefix before its unit: formatSi(2.5e9, 'FLOP') = '2.50 GFLOP'. */
export function formatSi(n: number, unit: string): string {
  if (!Number.isFinite(n)) return '—';
  const prefixes: Array<[number, string]> = [
    [1e15, 'P'],
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [scale, prefix] of prefixes)
    if (Math.abs(n) >= scale) return `${fixed3(n / scale)} ${prefix}${unit}`;
  return `${fixed3(n)} ${unit}`;
}
