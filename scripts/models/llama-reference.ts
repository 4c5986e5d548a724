/**
 * A plain-loop LLaMA forward pass (no cache, batch 1, float64 accumulation): the specification the
 * ONNX graph is tested against, written the way Hugging Face's modeling_llama.py computes it.
 * Slow and only for test-sized models.
 */
import { headDim, type LlamaDims, type LlamaWeights, RMS_NORM_EPS, ROPE_THETA } from './llama.ts';
import type { Matrix } from './quantize.ts';

type Rows = Float64Array[];

const at = (values: ArrayLike<number>, i: number) => values[i] ?? Number.NaN;

function matmul(rows: Rows, weight: Matrix): Rows {
  return rows.map((row) => {
    const out = new Float64Array(weight.cols);
    for (let k = 0; k < weight.rows; k++) {
      const x = at(row, k);
      for (let n = 0; n < weight.cols; n++) out[n] = at(out, n) + x * at(weight.data, k * weight.cols + n);
    }
    return out;
  });
}

function rmsNorm(rows: Rows, weight: Float32Array): Rows {
  return rows.map((row) => {
    const meanSquare = row.reduce((sum, v) => sum + v * v, 0) / row.length;
    const inverse = 1 / Math.sqrt(meanSquare + RMS_NORM_EPS);
    return row.map((v, i) => v * inverse * at(weight, i));
  });
}

/** Rotary embedding of every head of `rows` (row s at position s), "rotate half" convention. */
function rotary(rows: Rows, heads: number, d: number): Rows {
  return rows.map((row, position) => {
    const out = new Float64Array(row.length);
    for (let head = 0; head < heads; head++) {
      const base = head * d;
      for (let i = 0; i < d / 2; i++) {
        const angle = position / ROPE_THETA ** ((2 * i) / d);
        const x1 = at(row, base + i);
        const x2 = at(row, base + i + d / 2);
        out[base + i] = x1 * Math.cos(angle) - x2 * Math.sin(angle);
        out[base + i + d / 2] = x2 * Math.cos(angle) + x1 * Math.sin(angle);
      }
    }
    return out;
  });
}

/** Causal grouped-query attention: query head h reads kv head ⌊h / (heads / kvHeads)⌋. */
function attention(q: Rows, k: Rows, v: Rows, dims: LlamaDims, d: number): Rows {
  const group = dims.attentionHeads / dims.kvHeads;
  return q.map((queryRow, s) => {
    const out = new Float64Array(dims.attentionHeads * d);
    for (let head = 0; head < dims.attentionHeads; head++) {
      const kvBase = Math.floor(head / group) * d;
      const scores = Array.from({ length: s + 1 }, (_, t) => {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += at(queryRow, head * d + i) * at(k[t] ?? [], kvBase + i);
        return dot / Math.sqrt(d);
      });
      const max = Math.max(...scores);
      const weights = scores.map((score) => Math.exp(score - max));
      const total = weights.reduce((a, b) => a + b, 0);
      weights.forEach((w, t) => {
        for (let i = 0; i < d; i++)
          out[head * d + i] = at(out, head * d + i) + (w / total) * at(v[t] ?? [], kvBase + i);
      });
    }
    return out;
  });
}

const add = (a: Rows, b: Rows): Rows => a.map((row, s) => row.map((x, i) => x + at(b[s] ?? [], i)));

/** Logits `[tokens, vocab]` of the model for `tokenIds`, flattened like onnxruntime's output. */
export function referenceLogits(
  dims: LlamaDims,
  weights: LlamaWeights,
  logitBias: Float32Array,
  tokenIds: readonly number[],
): Float32Array {
  const d = headDim(dims);
  let x: Rows = tokenIds.map((id) =>
    Float64Array.from(weights.embedTokens.data.subarray(id * dims.hiddenSize, (id + 1) * dims.hiddenSize)),
  );
  for (const layer of weights.layers) {
    const h = rmsNorm(x, layer.inputNorm);
    const q = rotary(matmul(h, layer.qProj), dims.attentionHeads, d);
    const k = rotary(matmul(h, layer.kProj), dims.kvHeads, d);
    const v = matmul(h, layer.vProj);
    x = add(x, matmul(attention(q, k, v, dims, d), layer.oProj));
    const h2 = rmsNorm(x, layer.postAttentionNorm);
    const gate = matmul(h2, layer.gateProj);
    const up = matmul(h2, layer.upProj);
    const swiglu = gate.map((row, s) => row.map((g, i) => (g / (1 + Math.exp(-g))) * at(up[s] ?? [], i)));
    x = add(x, matmul(swiglu, layer.downProj));
  }
  const logits = matmul(rmsNorm(x, weights.finalNorm), weights.lmHead);
  return Float32Array.from(logits.flatMap((row) => Array.from(row, (value, i) => value + at(logitBias, i))));
}
