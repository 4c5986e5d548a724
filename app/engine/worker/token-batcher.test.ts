import { describe, expect, it } from 'vitest';
import type { Ms } from '../protocol.ts';
import { MAX_HELD_TOKENS, TokenBatcher } from './token-batcher.ts';

/** A byte-level decoder: each token id is one byte; invalid or incomplete UTF-8 decodes to U+FFFD, as in BPE. */
const decodeBytes = (ids: number[]) => new TextDecoder().decode(Uint8Array.from(ids));

function setup(genTokens: number) {
  const posts: Array<{ indices: number[]; text: string }> = [];
  const batcher = new TokenBatcher(genTokens, decodeBytes, (tokens, text) =>
    posts.push({ indices: tokens.map((t: { index: number; timeMs: Ms }) => t.index), text }),
  );
  return { batcher, posts };
}

describe('TokenBatcher', () => {
  it('posts the first token at once, then at most one batch per frame, and the last token at once', () => {
    const { batcher, posts } = setup(6);
    const ascii = [...'abcdef'].map((c) => c.charCodeAt(0));
    // Tokens 1 ms apart: after the first, nothing is due until 16 ms have passed or the last token arrives.
    for (const [i, id] of ascii.entries()) batcher.add(i, 10 + i, id);
    expect(posts).toEqual([
      { indices: [0], text: 'a' },
      { indices: [1, 2, 3, 4, 5], text: 'bcdef' },
    ]);
  });

  it('posts again once a frame has passed since the last post', () => {
    const { batcher, posts } = setup(100);
    batcher.add(0, 0, 0x61);
    batcher.add(1, 10, 0x62);
    batcher.add(2, 16, 0x63);
    batcher.add(3, 20, 0x64);
    expect(posts.map((p) => p.indices)).toEqual([[0], [1, 2]]);
  });

  it('holds the ids of a character split across tokens until it decodes whole (UTF-8 hold)', () => {
    const { batcher, posts } = setup(100);
    // "é" is 0xC3 0xA9 in UTF-8: two tokens, posted in different frames.
    batcher.add(0, 0, 0xc3);
    batcher.add(1, 20, 0xa9);
    batcher.add(2, 40, 0x21);
    expect(posts).toEqual([
      { indices: [0], text: '' },
      { indices: [1], text: 'é' },
      { indices: [2], text: '!' },
    ]);
    // The streamed text is the whole text: nothing lost, nothing garbled.
    expect(posts.map((p) => p.text).join('')).toBe('é!');
  });

  it('gives up holding after MAX_HELD_TOKENS ids, and a final flush posts what is held', () => {
    const { batcher, posts } = setup(100);
    // Continuation bytes that never form a character.
    for (let i = 0; i < MAX_HELD_TOKENS; i++) batcher.add(i, i * 20, 0x80);
    const texts = posts.map((p) => p.text);
    expect(texts.slice(0, MAX_HELD_TOKENS - 1).every((t) => t === '')).toBe(true);
    expect(texts.at(-1)).toContain('\uFFFD');
    const final = setup(100);
    final.batcher.add(0, 0, 0xe2); // first byte of "€", the rest never comes (interrupted)
    final.batcher.add(1, 1, 0x82);
    final.batcher.flush(Number.POSITIVE_INFINITY, true);
    expect(final.posts.map((p) => p.text)).toEqual(['', '\uFFFD']);
  });

  it('posts nothing when there is nothing pending', () => {
    const { batcher, posts } = setup(4);
    batcher.flush(0, true);
    expect(posts).toEqual([]);
  });
});
