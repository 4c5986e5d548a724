/**
 * Generated tokens, batched for the page: at most one message per display frame, so a fast model does not pay
 * for a message per token. Runs on the timed path (inside the streamer's put()), so it only pushes to arrays and
 * compares numbers there; decoding happens when a batch is posted.
 */
import { type Ms, ms, TOKEN_BATCH_MS } from '../protocol.ts';

/** Longest run of token ids held back while they decode to an incomplete character. */
export const MAX_HELD_TOKENS = 8;

/** U+FFFD, what a decoder returns for bytes that do not (yet) form a whole UTF-8 character. */
const REPLACEMENT_CHARACTER = '\uFFFD';

export type TokenBatchSink = (tokens: Array<{ index: number; timeMs: Ms }>, text: string) => void;

export class TokenBatcher {
  private readonly pending: Array<{ index: number; timeMs: Ms }> = [];
  private readonly heldIds: number[] = [];
  private lastPostMs = Number.NEGATIVE_INFINITY;

  constructor(
    /** Tokens to generate G: the last one is posted at once. */
    private readonly genTokens: number,
    private readonly decode: (ids: number[]) => string,
    private readonly send: TokenBatchSink,
  ) {}

  /**
   * Records one token. The first and the last token are posted at once (TTFT and the end show without delay),
   * the others when a frame (TOKEN_BATCH_MS) has passed since the last post.
   */
  add(index: number, timeMs: number, tokenId: number) {
    this.pending.push({ index, timeMs: ms(timeMs) });
    this.heldIds.push(tokenId);
    if (index === 0 || index === this.genTokens - 1 || timeMs - this.lastPostMs >= TOKEN_BATCH_MS) {
      this.flush(timeMs);
    }
  }

  /**
   * Posts the pending tokens. A character may span tokens (byte-level BPE): while the held ids decode to an
   * incomplete character the batch goes out without text and the ids are kept for the next batch, up to
   * MAX_HELD_TOKENS ids; `final` (end of the repetition) posts whatever they decode to.
   */
  flush(nowMs: number, final = false) {
    if (this.pending.length === 0) return;
    let text = this.decode(this.heldIds);
    if (!final && text.endsWith(REPLACEMENT_CHARACTER) && this.heldIds.length < MAX_HELD_TOKENS) text = '';
    else this.heldIds.length = 0;
    this.send(this.pending.splice(0), text);
    this.lastPostMs = nowMs;
  }
}
