/**
 * Seed text the benchmark prompt is cut from. Plain English so real tokenizers split it into ordinary tokens,
 * and long enough that repeating it is rare for short prompts.
 */
export const PROMPT_SEED_TEXT =
  'Inference cost is driven by model size, input length and output length. Prefill processes the prompt ' +
  'in parallel and is limited by compute; decode produces one token at a time and is limited by memory ' +
  'bandwidth, because every weight is read for every token. Teams lower the bill by choosing the right model ' +
  'size, trimming prompts, caching common prefixes and responses, quantizing weights, batching requests and ' +
  'routing easy requests to smaller models. ';

/**
 * Exactly `count` token ids, made by repeating `seedIds` (the tokenized seed text) and cutting at `count`.
 * A prefix such as BOS (`prefixIds`) is kept once at the start and counts towards `count`.
 */
export function promptOfLength(
  seedIds: readonly number[],
  count: number,
  prefixIds: readonly number[] = [],
): number[] {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`Prompt length must be a positive integer, got ${count}`);
  if (seedIds.length === 0) throw new RangeError('The seed text produced no tokens');
  const out = prefixIds.slice(0, count);
  for (let i = 0; out.length < count; i++) out.push(seedIds[i % seedIds.length] as number);
  return out;
}
