/**
 * A small byte-level BPE tokenizer (GPT-2 byte mapping) in the Hugging Face `tokenizer.json` format.
 *
 * 256 byte tokens make every string encodable; a few dozen English merges make token counts look like
 * a real tokenizer's for English prompts (fewer tokens than characters), while the vocabulary, and so
 * the embedding and lm_head, stays tiny.
 */

/**
 * GPT-2's reversible byte → printable character map: printable bytes map to themselves, the others to
 * code points from 256 up, so every byte sequence becomes a string without spaces or control characters.
 */
export function byteToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const map: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    map[b] = String.fromCharCode(printable.includes(b) ? b : 256 + extra++);
  }
  return map;
}

/**
 * Merges in priority order, written with the byte-level characters (`Ġ` is the space byte).
 * Each merge's parts must already be tokens when it is applied; `buildVocabulary` checks this.
 */
const MERGES: readonly (readonly [string, string])[] = [
  ['Ġ', 't'],
  ['h', 'e'],
  ['Ġ', 'a'],
  ['i', 'n'],
  ['Ġt', 'he'],
  ['e', 'r'],
  ['o', 'n'],
  ['Ġ', 's'],
  ['r', 'e'],
  ['a', 'n'],
  ['Ġ', 'o'],
  ['Ġ', 'w'],
  ['o', 'u'],
  ['i', 's'],
  ['e', 'n'],
  ['Ġ', 'c'],
  ['a', 't'],
  ['e', 'd'],
  ['Ġ', 'b'],
  ['Ġ', 'f'],
  ['o', 'r'],
  ['i', 't'],
  ['Ġ', 'p'],
  ['e', 's'],
  ['a', 'l'],
  ['Ġ', 'm'],
  ['in', 'g'],
  ['Ġ', 'd'],
  ['a', 'r'],
  ['Ġ', 'h'],
  ['l', 'l'],
  ['Ġ', 'l'],
  ['n', 'd'],
  ['Ġo', 'f'],
  ['Ġa', 'nd'],
  ['Ġ', 'in'],
];

export const EOS_TOKEN = '<|endoftext|>';

/** The vocabulary: byte tokens 0-255, then merges, then the end-of-sequence token. */
export interface Vocabulary {
  /** Token string → id, in id order. */
  readonly tokenToId: ReadonlyMap<string, number>;
  readonly merges: readonly (readonly [string, string])[];
  readonly eosTokenId: number;
  /** Number of ids, including the end-of-sequence token. */
  readonly size: number;
  /** The bytes each id stands for (empty for the end-of-sequence token). */
  readonly bytesOfId: readonly (readonly number[])[];
}

/** Builds the vocabulary and checks that every merge is applicable. */
export function buildVocabulary(): Vocabulary {
  const byteChars = byteToUnicode();
  const tokenToId = new Map<string, number>();
  const bytesOfId: number[][] = [];
  byteChars.forEach((char, byte) => {
    tokenToId.set(char, byte);
    bytesOfId.push([byte]);
  });
  for (const [left, right] of MERGES) {
    const leftId = tokenToId.get(left);
    const rightId = tokenToId.get(right);
    if (leftId === undefined || rightId === undefined)
      throw new Error(`merge ${left} ${right}: unknown part`);
    if (tokenToId.has(left + right)) throw new Error(`merge ${left} ${right}: duplicate`);
    tokenToId.set(left + right, tokenToId.size);
    bytesOfId.push([...(bytesOfId[leftId] ?? []), ...(bytesOfId[rightId] ?? [])]);
  }
  const eosTokenId = tokenToId.size;
  bytesOfId.push([]);
  return { tokenToId, merges: MERGES, eosTokenId, size: eosTokenId + 1, bytesOfId };
}

const SPACE = 0x20;
const isLowercaseLetter = (byte: number): boolean => byte >= 0x61 && byte <= 0x7a;

/**
 * Added to the logits, so random weights produce printable text and never end the sequence.
 * Tokens made only of lowercase letters and spaces get 0; other bytes get -30, far below the spread
 * of random logits; end-of-sequence gets -1e4, so a timing run yields exactly `max_new_tokens`.
 */
export function logitBias(vocabulary: Vocabulary): Float32Array {
  const bias = new Float32Array(vocabulary.size);
  vocabulary.bytesOfId.forEach((bytes, id) => {
    if (id === vocabulary.eosTokenId) bias[id] = -1e4;
    else if (!bytes.every((b) => b === SPACE || isLowercaseLetter(b))) bias[id] = -30;
  });
  return bias;
}

/** `tokenizer.json` for the Hugging Face tokenizers format (as read by transformers.js). */
export function tokenizerJson(vocabulary: Vocabulary): unknown {
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: vocabulary.eosTokenId,
        content: EOS_TOKEN,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(vocabulary.tokenToId),
      merges: vocabulary.merges.map(([left, right]) => `${left} ${right}`),
    },
  };
}

/** `tokenizer_config.json`: special tokens, context length and a minimal chat template. */
export function tokenizerConfigJson(maxContextTokens: number): unknown {
  return {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: EOS_TOKEN,
    eos_token: EOS_TOKEN,
    unk_token: EOS_TOKEN,
    add_bos_token: false,
    clean_up_tokenization_spaces: false,
    model_max_length: maxContextTokens,
    chat_template:
      "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}",
  };
}
