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
