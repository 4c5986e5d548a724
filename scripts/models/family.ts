/**
 * The embedded model family: three random-weight LLaMA models spanning three orders of magnitude in
 * size, so the lab can show how prefill and decode scale with parameters on the user's own machine.
 */
import { headDim, type LlamaDims } from './llama.ts';

export interface ModelSpec {
  /** Folder name and transformers.js model id. */
  readonly id: string;
  /** First word of the label: `Tiny`, `Small`, `Medium`. */
  readonly sizeName: string;
  /** Architecture without the vocabulary, which the tokenizer decides. */
  readonly dims: Omit<LlamaDims, 'vocabSize'>;
  /** max_position_embeddings: prompts of a few thousand tokens must fit. */
  readonly maxContextTokens: number;
}

export const DEFAULT_SEED = 1;

const MAX_CONTEXT_TOKENS = 4096;

/**
 * Sizes: ~0.1M (the default: loads instantly everywhere), ~3M, ~30M (still several tokens/s on WASM
 * on a 2-core machine). Hidden and intermediate sizes are multiples of 32, the q4 block size.
 */
export const FAMILY: readonly ModelSpec[] = [
  {
    id: 'tiny-random-llama',
    sizeName: 'Tiny',
    dims: { hiddenSize: 64, layers: 2, attentionHeads: 4, kvHeads: 2, intermediateSize: 128 },
    maxContextTokens: MAX_CONTEXT_TOKENS,
  },
  {
    id: 'small-random-llama',
    sizeName: 'Small',
    dims: { hiddenSize: 256, layers: 4, attentionHeads: 8, kvHeads: 4, intermediateSize: 704 },
    maxContextTokens: MAX_CONTEXT_TOKENS,
  },
  {
    id: 'medium-random-llama',
    sizeName: 'Medium',
    dims: { hiddenSize: 512, layers: 8, attentionHeads: 8, kvHeads: 4, intermediateSize: 1920 },
    maxContextTokens: MAX_CONTEXT_TOKENS,
  },
];

/** The full architecture of `spec` for a tokenizer with `vocabSize` ids. */
export function llamaDims(spec: ModelSpec, vocabSize: number): LlamaDims {
  const dims = { ...spec.dims, vocabSize };
  headDim(dims); // validates head sizes early, with a readable error
  return dims;
}

/** e.g. `Tiny random LLaMA (0.1M)`: parameters in millions, one decimal. */
export function modelLabel(spec: ModelSpec, parameters: number): string {
  return `${spec.sizeName} random LLaMA (${(parameters / 1e6).toFixed(1)}M)`;
}
