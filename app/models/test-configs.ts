/**
 * config.json of the embedded tiny model (public/models/tiny-random-llama, made by scripts/make-models.ts), for
 * tests that check arithmetic against it: 2 layers, 2 KV heads of 16 dims, so 2 × 2 × 2 × 16 × 4 = 512 bytes of
 * fp32 KV cache per token.
 */
export const TINY_RANDOM_LLAMA_CONFIG = {
  model_type: 'llama',
  vocab_size: 293,
  hidden_size: 64,
  intermediate_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  head_dim: 16,
  max_position_embeddings: 4096,
  tie_word_embeddings: false,
} as const;
