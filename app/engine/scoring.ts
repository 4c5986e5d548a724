/** log-softmax of a logit vector: log p_i = x_i - log Σ_j exp(x_j), computed stably around max(x). */
export function logSoftmax(logits: ArrayLike<number>): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] as number);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i] as number) - max);
  const logZ = max + Math.log(sum);
  const out = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = (logits[i] as number) - logZ;
  return out;
}

/** The k largest entries with their indices, largest first. */
export function topK(values: ArrayLike<number>, k: number): Array<{ id: number; logProb: number }> {
  const best: Array<{ id: number; logProb: number }> = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (best.length < k || v > (best[best.length - 1]?.logProb ?? Number.NEGATIVE_INFINITY)) {
      best.push({ id: i, logProb: v });
      best.sort((a, b) => b.logProb - a.logProb);
      if (best.length > k) best.pop();
    }
  }
  return best;
}

/**
 * Teacher-forced scores of a text from one forward pass: for every position i, log p(ids[i + 1] | ids[0..i])
 * under the full softmax, and the k most likely next tokens. `logits` holds ids.length rows of `vocab` values.
 */
export function textScoreOf(
  ids: readonly number[],
  logits: Float32Array,
  vocab: number,
  k: number,
): {
  tokenIds: number[];
  positions: Array<{ targetLogProb: number; top: Array<{ id: number; logProb: number }> }>;
} {
  const positions = [];
  for (let i = 0; i + 1 < ids.length; i++) {
    const logProbs = logSoftmax(logits.subarray(i * vocab, (i + 1) * vocab));
    positions.push({ targetLogProb: logProbs[ids[i + 1] as number] as number, top: topK(logProbs, k) });
  }
  return { tokenIds: [...ids], positions };
}
