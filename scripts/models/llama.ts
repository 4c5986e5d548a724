/**
 * A LLaMA-architecture causal LM (RMSNorm, rotary embeddings, grouped-query attention, SwiGLU MLP)
 * as an ONNX graph with a KV cache, in the input/output contract of transformers.js' decoder models:
 *
 *   inputs   input_ids, attention_mask, position_ids            int64 [batch_size, …]
 *            past_key_values.{layer}.{key,value}                 float32 [batch_size, kv_heads, past_sequence_length, head_dim]
 *   outputs  logits                                              float32 [batch_size, sequence_length, vocab]
 *            present.{layer}.{key,value}                         float32 [batch_size, kv_heads, total_sequence_length, head_dim]
 *
 * transformers.js builds the empty first-step cache from these declared input shapes, resolving only
 * the symbol `batch_size`: any other name for the batch dimension would resolve to 0.
 */
import { ElementType, GraphBuilder } from './graph.ts';
import { emitLinear, type WeightDtype } from './linear.ts';
import type { Matrix } from './quantize.ts';
import { mulberry32, type Uniform, uniformWeights } from './random.ts';

/** The architecture hyper-parameters (Hugging Face LlamaConfig names in the comments). */
export interface LlamaDims {
  /** hidden_size */
  readonly hiddenSize: number;
  /** num_hidden_layers */
  readonly layers: number;
  /** num_attention_heads */
  readonly attentionHeads: number;
  /** num_key_value_heads (< attentionHeads: grouped-query attention) */
  readonly kvHeads: number;
  /** intermediate_size of the SwiGLU MLP */
  readonly intermediateSize: number;
  /** vocab_size */
  readonly vocabSize: number;
}

export const ROPE_THETA = 10_000;
export const RMS_NORM_EPS = 1e-5;
/** Standard deviation of every random weight matrix (the usual LLaMA initializer_range). */
export const WEIGHT_STD = 0.02;

/** hidden_size / num_attention_heads, checked to be even (rotary embeddings rotate pairs). */
export function headDim(dims: LlamaDims): number {
  const dim = dims.hiddenSize / dims.attentionHeads;
  if (!Number.isInteger(dim) || dim % 2 !== 0) throw new Error(`head_dim ${dim} must be an even integer`);
  if (dims.attentionHeads % dims.kvHeads !== 0)
    throw new Error('attention heads must be a multiple of kv heads');
  return dim;
}

export interface LayerWeights {
  readonly inputNorm: Float32Array;
  readonly qProj: Matrix;
  readonly kProj: Matrix;
  readonly vProj: Matrix;
  readonly oProj: Matrix;
  readonly postAttentionNorm: Float32Array;
  readonly gateProj: Matrix;
  readonly upProj: Matrix;
  readonly downProj: Matrix;
}

export interface LlamaWeights {
  /** `[vocab, hidden]` */
  readonly embedTokens: Matrix;
  readonly layers: readonly LayerWeights[];
  readonly finalNorm: Float32Array;
  /** `[hidden, vocab]`, not tied to the embedding */
  readonly lmHead: Matrix;
}

/**
 * Number of weights: embedding, per-layer projections and norms, final norm, lm_head.
 * (The logit bias and RoPE tables are constants of the graph, not parameters.)
 */
export function parameterCount(dims: LlamaDims): number {
  const { hiddenSize: h, intermediateSize: i, vocabSize: v, layers } = dims;
  const kvWidth = dims.kvHeads * headDim(dims);
  const perLayer = 2 * h * h + 2 * h * kvWidth + 3 * h * i + 2 * h;
  return 2 * v * h + layers * perLayer + h;
}

function randomMatrix(next: Uniform, rows: number, cols: number): Matrix {
  return { rows, cols, data: uniformWeights(next, rows * cols, WEIGHT_STD) };
}

/** Random weights from `seed`, drawn in a fixed order so a seed always gives the same model. */
export function initLlamaWeights(dims: LlamaDims, seed: number): LlamaWeights {
  const next = mulberry32(seed);
  const h = dims.hiddenSize;
  const kvWidth = dims.kvHeads * headDim(dims);
  const ones = () => new Float32Array(h).fill(1);
  const embedTokens = randomMatrix(next, dims.vocabSize, h);
  const layers = Array.from(
    { length: dims.layers },
    (): LayerWeights => ({
      inputNorm: ones(),
      qProj: randomMatrix(next, h, h),
      kProj: randomMatrix(next, h, kvWidth),
      vProj: randomMatrix(next, h, kvWidth),
      oProj: randomMatrix(next, h, h),
      postAttentionNorm: ones(),
      gateProj: randomMatrix(next, h, dims.intermediateSize),
      upProj: randomMatrix(next, h, dims.intermediateSize),
      downProj: randomMatrix(next, dims.intermediateSize, h),
    }),
  );
  return { embedTokens, layers, finalNorm: ones(), lmHead: randomMatrix(next, h, dims.vocabSize) };
}

/** Names of the KV-cache inputs and outputs, in transformers.js' convention. */
export function pastName(layer: number, kind: 'key' | 'value'): string {
  return `past_key_values.${layer}.${kind}`;
}
export function presentName(layer: number, kind: 'key' | 'value'): string {
  return `present.${layer}.${kind}`;
}

/**
 * The serialized ONNX model for one dtype. All dtypes share `weights`; only the weight MatMuls
 * change format (the embedding, norms and logit bias stay float32).
 */
export function buildLlamaModel(
  dims: LlamaDims,
  weights: LlamaWeights,
  logitBias: Float32Array,
  dtype: WeightDtype,
): Uint8Array {
  const g = new GraphBuilder();
  const d = headDim(dims);
  const { hiddenSize: h, attentionHeads: heads, kvHeads } = dims;

  g.addInput('input_ids', ElementType.int64, ['batch_size', 'sequence_length']);
  g.addInput('attention_mask', ElementType.int64, ['batch_size', 'total_sequence_length']);
  g.addInput('position_ids', ElementType.int64, ['batch_size', 'sequence_length']);
  for (let layer = 0; layer < dims.layers; layer++) {
    for (const kind of ['key', 'value'] as const) {
      g.addInput(pastName(layer, kind), ElementType.float, [
        'batch_size',
        kvHeads,
        'past_sequence_length',
        d,
      ]);
    }
  }

  const axes = {
    last: g.int64('axes_last', [-1]),
    zero: g.int64('axes_0', [0]),
    one: g.int64('axes_1', [1]),
    two: g.int64('axes_2', [2]),
    oneTwo: g.int64('axes_1_2', [1, 2]),
  };
  const shapeConstant = (values: readonly number[]) => g.int64(g.uniqueName('shape'), values);

  const rmsNorm = (x: string, name: string, weight: Float32Array): string => {
    const meanSquare = g.op('ReduceMean', [g.op('Mul', [x, x])], { axes: [-1], keepdims: 1 });
    const rms = g.op('Sqrt', [g.op('Add', [meanSquare, g.float32(`${name}.eps`, [RMS_NORM_EPS], [])])]);
    return g.op('Mul', [g.op('Div', [x, rms]), g.float32(`${name}.weight`, weight, [h])]);
  };
  const linear = (x: string, name: string, weight: Matrix) => emitLinear(g, x, name, weight, dtype);

  // Token embedding: a Gather, float32 in every dtype (it is a lookup, not a MatMul).
  let hidden = g.op(
    'Gather',
    [g.float32('embed_tokens.weight', weights.embedTokens.data, [dims.vocabSize, h]), 'input_ids'],
    {
      axis: 0,
    },
  );

  // Rotary tables from position_ids, [batch, 1, seq, d/2], shared by all layers.
  const inverseFrequency = Float32Array.from({ length: d / 2 }, (_, i) => 1 / ROPE_THETA ** ((2 * i) / d));
  const positions = g.op('Unsqueeze', [g.op('Cast', ['position_ids'], { to: ElementType.float }), axes.last]);
  const angles = g.op('Mul', [positions, g.float32('rope.inv_freq', inverseFrequency)]);
  const cos = g.op('Unsqueeze', [g.op('Cos', [angles]), axes.one]);
  const sin = g.op('Unsqueeze', [g.op('Sin', [angles]), axes.one]);
  const halfSplit = g.int64('rope.split', [d / 2, d / 2]);
  // Hugging Face LLaMA's "rotate half" convention: (x1, x2) → (x1·cos − x2·sin, x2·cos + x1·sin).
  const rotary = (t: string): string => {
    const [x1, x2] = g.opMulti('Split', [t, halfSplit], 2, { axis: -1 });
    if (x1 === undefined || x2 === undefined) throw new Error('unreachable');
    const first = g.op('Sub', [g.op('Mul', [x1, cos]), g.op('Mul', [x2, sin])]);
    const second = g.op('Add', [g.op('Mul', [x2, cos]), g.op('Mul', [x1, sin])]);
    return g.op('Concat', [first, second], { axis: -1 });
  };

  // Attention bias [batch, 1, seq, total]: 0 where a query may attend (causal and not padding),
  // -1e9 elsewhere. The queries are the last `seq` of `total` positions, so this works with a cache.
  const dimOf = (tensor: string, axis: number) =>
    g.op('Gather', [g.op('Shape', [tensor]), g.int64(g.uniqueName('axis'), [axis], [])], { axis: 0 });
  const totalLength = dimOf('attention_mask', 1);
  const queryLength = dimOf('input_ids', 1);
  const step = g.int64('one', [1], []);
  const queryPositions = g.op('Unsqueeze', [
    g.op('Range', [g.op('Sub', [totalLength, queryLength]), totalLength, step]),
    axes.one,
  ]);
  const keyPositions = g.op('Unsqueeze', [
    g.op('Range', [g.int64('zero', [0], []), totalLength, step]),
    axes.zero,
  ]);
  const causal = g.op('LessOrEqual', [keyPositions, queryPositions]);
  const notPadding = g.op('Unsqueeze', [
    g.op('Cast', ['attention_mask'], { to: ElementType.bool }),
    axes.oneTwo,
  ]);
  const attentionBias = g.op('Where', [
    g.op('And', [notPadding, causal]),
    g.float32('bias.allowed', [0], []),
    g.float32('bias.masked', [-1e9], []),
  ]);
  const attentionScale = g.float32('attention.scale', [1 / Math.sqrt(d)], []);

  // [batch, seq, n·d] → [batch, n, seq, d]
  const splitHeads = (t: string, n: number) =>
    g.op('Transpose', [g.op('Reshape', [t, shapeConstant([0, 0, n, d])])], { perm: [0, 2, 1, 3] });
  // Grouped-query attention: each kv head serves attentionHeads / kvHeads query heads.
  const repeatKv = (t: string): string => {
    if (heads === kvHeads) return t;
    const expanded = g.op('Expand', [
      g.op('Unsqueeze', [t, axes.two]),
      shapeConstant([1, 1, heads / kvHeads, 1, 1]),
    ]);
    return g.op('Reshape', [expanded, shapeConstant([0, heads, -1, d])]);
  };

  weights.layers.forEach((w, layer) => {
    const prefix = `model.layers.${layer}`;
    const x = rmsNorm(hidden, `${prefix}.input_layernorm`, w.inputNorm);
    const q = rotary(splitHeads(linear(x, `${prefix}.self_attn.q_proj.weight`, w.qProj), heads));
    const k = rotary(splitHeads(linear(x, `${prefix}.self_attn.k_proj.weight`, w.kProj), kvHeads));
    const v = splitHeads(linear(x, `${prefix}.self_attn.v_proj.weight`, w.vProj), kvHeads);
    const keys = g.op('Concat', [pastName(layer, 'key'), k], { axis: 2 });
    const values = g.op('Concat', [pastName(layer, 'value'), v], { axis: 2 });
    for (const [kind, value] of [
      ['key', keys],
      ['value', values],
    ] as const) {
      g.rename(value, presentName(layer, kind));
      g.addOutput(presentName(layer, kind), ElementType.float, [
        'batch_size',
        kvHeads,
        'total_sequence_length',
        d,
      ]);
    }
    const keysT = g.op('Transpose', [repeatKv(keys)], { perm: [0, 1, 3, 2] });
    const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [q, keysT]), attentionScale]), attentionBias]);
    const context = g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), repeatKv(values)]);
    const merged = g.op('Reshape', [
      g.op('Transpose', [context], { perm: [0, 2, 1, 3] }),
      shapeConstant([0, 0, heads * d]),
    ]);
    hidden = g.op('Add', [hidden, linear(merged, `${prefix}.self_attn.o_proj.weight`, w.oProj)]);

    const y = rmsNorm(hidden, `${prefix}.post_attention_layernorm`, w.postAttentionNorm);
    const gate = linear(y, `${prefix}.mlp.gate_proj.weight`, w.gateProj);
    const up = linear(y, `${prefix}.mlp.up_proj.weight`, w.upProj);
    const swiglu = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
    hidden = g.op('Add', [hidden, linear(swiglu, `${prefix}.mlp.down_proj.weight`, w.downProj)]);
  });

  const normed = rmsNorm(hidden, 'model.norm', weights.finalNorm);
  const logits = g.op('Add', [
    linear(normed, 'lm_head.weight', weights.lmHead),
    g.float32('lm_head.logit_bias', logitBias),
  ]);
  g.rename(logits, 'logits');
  g.addOutput('logits', ElementType.float, ['batch_size', 'sequence_length', dims.vocabSize], true);

  return g.toModelBytes({
    graphName: 'random_llama',
    producerName: 'inference-cost-lab/make-models',
    opsets: [
      ['', 17],
      ['com.microsoft', 1],
    ],
    irVersion: 8,
  });
}
