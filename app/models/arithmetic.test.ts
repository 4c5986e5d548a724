import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../ui/format.ts';
import {
  countParameters,
  decodeFlopsPerToken,
  formatCount,
  formatSi,
  kvBytesPerToken,
  type ModelShape,
  modelArithmetic,
  parseModelConfig,
  prefillFlops,
  weightSize,
} from './arithmetic.ts';

/** meta-llama/Llama-3.2-1B config.json, as published on the Hub. */
const LLAMA_3_2_1B = {
  architectures: ['LlamaForCausalLM'],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 128000,
  eos_token_id: 128001,
  head_dim: 64,
  hidden_act: 'silu',
  hidden_size: 2048,
  initializer_range: 0.02,
  intermediate_size: 8192,
  max_position_embeddings: 131072,
  mlp_bias: false,
  model_type: 'llama',
  num_attention_heads: 32,
  num_hidden_layers: 16,
  num_key_value_heads: 8,
  pretraining_tp: 1,
  rms_norm_eps: 1e-5,
  rope_scaling: {
    factor: 32.0,
    high_freq_factor: 4.0,
    low_freq_factor: 1.0,
    original_max_position_embeddings: 8192,
    rope_type: 'llama3',
  },
  rope_theta: 500000.0,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  transformers_version: '4.45.0.dev0',
  use_cache: true,
  vocab_size: 128256,
};

/** Qwen/Qwen2.5-0.5B config.json. */
const QWEN_2_5_0_5B = {
  architectures: ['Qwen2ForCausalLM'],
  attention_dropout: 0.0,
  bos_token_id: 151643,
  eos_token_id: 151643,
  hidden_act: 'silu',
  hidden_size: 896,
  initializer_range: 0.02,
  intermediate_size: 4864,
  max_position_embeddings: 32768,
  max_window_layers: 24,
  model_type: 'qwen2',
  num_attention_heads: 14,
  num_hidden_layers: 24,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000.0,
  sliding_window: 32768,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  transformers_version: '4.40.1',
  use_cache: true,
  use_mrope: false,
  use_sliding_window: false,
  vocab_size: 151936,
};

/** HuggingFaceTB/SmolLM2-135M config.json. */
const SMOLLM2_135M = {
  architectures: ['LlamaForCausalLM'],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 0,
  eos_token_id: 0,
  hidden_act: 'silu',
  hidden_size: 576,
  initializer_range: 0.041666666666666664,
  intermediate_size: 1536,
  is_llama_config: true,
  max_position_embeddings: 8192,
  model_type: 'llama',
  num_attention_heads: 9,
  num_hidden_layers: 30,
  num_key_value_heads: 3,
  pretraining_tp: 1,
  rms_norm_eps: 1e-5,
  rope_interleaved: false,
  rope_scaling: null,
  rope_theta: 100000,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  transformers_version: '4.40.1',
  use_cache: true,
  vocab_size: 49152,
};

/** openai-community/gpt2 config.json (GPT-2 names, learned positions, biases everywhere). */
const GPT2 = {
  activation_function: 'gelu_new',
  architectures: ['GPT2LMHeadModel'],
  model_type: 'gpt2',
  n_ctx: 1024,
  n_embd: 768,
  n_head: 12,
  n_layer: 12,
  n_positions: 1024,
  vocab_size: 50257,
};

const shapeOf = (config: unknown): ModelShape => {
  const parsed = parseModelConfig(config);
  if (!parsed.ok) throw new Error(parsed.errors.join(' '));
  return parsed.value;
};

describe('parameter counts of published models', () => {
  it('Llama-3.2-1B: 1.24 B published (1,235,814,400 in the safetensors), within 1%', () => {
    const p = countParameters(shapeOf(LLAMA_3_2_1B));
    expect(p.total).toBe(1_235_814_400);
    expect(Math.abs(p.total / 1.24e9 - 1)).toBeLessThan(0.01);
    expect(p.lmHead).toBe(0); // tied
  });

  it('Qwen2.5-0.5B: 0.49 B published (494,032,768), q/k/v biases included', () => {
    const p = countParameters(shapeOf(QWEN_2_5_0_5B));
    expect(p.total).toBe(494_032_768);
  });

  it('SmolLM2-135M: 134,515,008', () => {
    expect(countParameters(shapeOf(SMOLLM2_135M)).total).toBe(134_515_008);
  });

  it('GPT-2 (GPT-2 key names, no intermediate size): 124,439,808', () => {
    const s = shapeOf(GPT2);
    expect(s.intermediateSize).toBe(3072);
    expect(s.tiedEmbeddings).toBe(true);
    expect(countParameters(s).total).toBe(124_439_808);
  });
});

describe('KV cache, bytes and FLOPs', () => {
  it('KV bytes per token = 2 × L × Hkv × hd × bytes, exactly', () => {
    // Llama-3.2-1B: 2 × 16 × 8 × 64 = 16,384 elements.
    expect(kvBytesPerToken(shapeOf(LLAMA_3_2_1B), 2)).toBe(32_768);
    expect(kvBytesPerToken(shapeOf(LLAMA_3_2_1B), 4)).toBe(65_536);
    // Qwen2.5-0.5B: 2 × 24 × 2 × 64 × 2 bytes = 12,288.
    expect(kvBytesPerToken(shapeOf(QWEN_2_5_0_5B), 2)).toBe(12_288);
    // SmolLM2-135M: 2 × 30 × 3 × 64 × 4 bytes = 46,080.
    expect(kvBytesPerToken(shapeOf(SMOLLM2_135M), 4)).toBe(46_080);
  });

  it('decode FLOPs = 2 × (layer matmuls + LM head) + 4·L·H·hd·context', () => {
    const s = shapeOf(LLAMA_3_2_1B);
    // Layer matmuls: 16 × 60,817,408; LM head: 128,256 × 2048 = 262,668,288.
    const matmul = 16 * (2048 * 2048 * 2 + 2 * 2048 * 512 + 3 * 2048 * 8192) + 262_668_288;
    expect(countParameters(s).matmulPerToken).toBe(matmul);
    expect(decodeFlopsPerToken(s, 0)).toBe(2 * matmul);
    expect(decodeFlopsPerToken(s, 1000)).toBe(2 * matmul + 4 * 16 * 32 * 64 * 1000);
  });

  it('prefill FLOPs include causal attention P(P+1)/2 and reduce to decode at P = 1', () => {
    const s = shapeOf(SMOLLM2_135M);
    expect(prefillFlops(s, 1)).toBe(decodeFlopsPerToken(s, 1));
    const p = 128;
    const matmul = countParameters(s).matmulPerToken;
    expect(prefillFlops(s, p)).toBe(p * 2 * matmul + 4 * 30 * 9 * 64 * ((p * (p + 1)) / 2));
  });

  it('weight bytes: the file size wins over the estimate; tied models stream all of it', () => {
    const s = shapeOf(LLAMA_3_2_1B);
    const fp32 = weightSize(s, 'fp32');
    expect(fp32.source).toBe('estimate');
    expect(fp32.bytes).toBe(1_235_814_400 * 4);
    expect(weightSize(s, 'fp16').bytes).toBe(1_235_814_400 * 2);
    const file = weightSize(s, 'q4f16', 1_000_000_000);
    expect(file).toEqual({ bytes: 1_000_000_000, source: 'file', streamedBytes: 1_000_000_000 });
    // q4f16 keeps the 262.7 M-entry embedding in fp16 (525 MB) and the body at 4.5 bits (547 MB): ~1.07 GB, as published.
    expect(weightSize(s, 'q4f16').bytes / 1e9).toBeCloseTo(1.072, 2);
  });

  it('an untied embedding table is stored but not streamed per token', () => {
    const s = shapeOf({ ...SMOLLM2_135M, tie_word_embeddings: false });
    const w = weightSize(s, 'fp32');
    const p = countParameters(s);
    expect(w.bytes).toBe(p.total * 4);
    expect(w.streamedBytes).toBeCloseTo((p.total - p.embedding) * 4, 0);
  });

  it('memory at context = weights + KV/token × context', () => {
    const s = shapeOf(QWEN_2_5_0_5B);
    const a = modelArithmetic(s, 'fp16', 4096, 988_000_000);
    expect(a.memoryBytes).toBe(988_000_000 + 12_288 * 4096);
    expect(a.decodeBytesPerToken).toBe(988_000_000 + 12_288 * 4096);
    expect(a.prefillFlopsPerToken).toBeCloseTo(prefillFlops(s, 4096) / 4096, 0);
  });

  it('memory and decode cost never shrink as the context grows', () => {
    const s = shapeOf(SMOLLM2_135M);
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(100_000), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const x = modelArithmetic(s, 'q8', lo);
        const y = modelArithmetic(s, 'q8', hi);
        return y.memoryBytes >= x.memoryBytes && y.decodeFlopsPerToken >= x.decodeFlopsPerToken;
      }),
    );
  });
});

describe('bad config.json', () => {
  it('names every missing field', () => {
    const r = parseModelConfig({ model_type: 'llama', hidden_size: 64 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.join('\n')).toMatch(/num_hidden_layers/);
    expect(r.errors.join('\n')).toMatch(/num_attention_heads/);
    expect(r.errors.join('\n')).toMatch(/vocab_size/);
    expect(r.errors.join('\n')).toMatch(/intermediate_size/);
  });

  it('rejects wrong types and inconsistent heads with a message', () => {
    const r = parseModelConfig({ ...SMOLLM2_135M, hidden_size: '576', num_key_value_heads: 4 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.some((e) => e.includes('hidden_size must be a positive integer'))).toBe(true);
    expect(r.errors.some((e) => e.includes('multiple of num_key_value_heads'))).toBe(true);
  });

  it('records assumptions when optional fields are absent', () => {
    const { num_key_value_heads: _kv, tie_word_embeddings: _tie, ...rest } = SMOLLM2_135M;
    const s = shapeOf(rest);
    expect(s.kvHeads).toBe(9);
    expect(s.tiedEmbeddings).toBe(false);
    expect(s.assumptions).toHaveLength(2);
  });

  it('refuses implausibly large dimensions instead of computing Infinity', () => {
    // Found by the property below: 1.8e303 is an "integer" to JavaScript.
    const r = parseModelConfig({ ...LLAMA_3_2_1B, intermediate_size: 1.8287080229312295e303 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/intermediate_size .* implausibly large/);
  });

  it('garbage never throws', () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        const r = parseModelConfig(junk);
        return r.ok || r.errors.length > 0;
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...Object.keys(LLAMA_3_2_1B)), fc.anything()), (partial) => {
        const r = parseModelConfig({ ...LLAMA_3_2_1B, ...partial });
        if (!r.ok) return r.errors.length > 0;
        return Number.isFinite(countParameters(r.value).total);
      }),
    );
  });
});

describe('formatting', () => {
  it('formats sizes and counts for people', () => {
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(Number.NaN)).toBe('—');
    expect(formatCount(1_235_814_400)).toBe('1.24 B');
    expect(formatCount(134_515_008)).toBe('135 M');
    expect(formatSi(2.5e9, 'FLOP')).toBe('2.50 GFLOP');
    expect(formatSi(Number.POSITIVE_INFINITY, 'B/s')).toBe('—');
  });
});
