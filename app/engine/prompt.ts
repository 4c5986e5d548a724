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

/**
 * `sequences` prompts of exactly `count` tokens each, for a batch: sequence s reads the seed from token
 * s (mod the seed's length) on, so the prompts differ in content (for B up to the seed's length) but not in
 * length, and a batch needs no padding. Sequence 0 is `promptOfLength(seedIds, count, prefixIds)`.
 */
export function promptsOfLength(
  seedIds: readonly number[],
  count: number,
  sequences: number,
  prefixIds: readonly number[] = [],
): number[][] {
  if (!Number.isInteger(sequences) || sequences < 1)
    throw new RangeError(`Parallel sequences must be a positive integer, got ${sequences}`);
  if (seedIds.length === 0) throw new RangeError('The seed text produced no tokens');
  return Array.from({ length: sequences }, (_, s) => {
    const offset = s % seedIds.length;
    return promptOfLength([...seedIds.slice(offset), ...seedIds.slice(0, offset)], count, prefixIds);
  });
}
