/**
 * Quantization quality: how far a lower-precision variant's next-token distributions drift from the
 * highest-precision variant of the same model on the same text, scored with teacher forcing.
 */
import type { Dtype, TextScore } from '../engine/protocol.ts';
import { DTYPES_BY_PRECISION } from '../models/arithmetic.ts';
import type { QualityScoreEntry } from '../models/quality-scores.ts';

/** Probabilities below this are treated as this, so a logarithm never sees 0. */
const MIN_PROB = 1e-12;

const clampProb = (p: number): number => (Number.isFinite(p) ? Math.min(1, Math.max(MIN_PROB, p)) : MIN_PROB);

/**
 * Perplexity of a scored text: exp(−mean log p(next token)). Non-finite log-probs (a token the model gives
 * probability 0) count as log(1e-12) so one bad position cannot make the figure infinite.
 * NaN for a score with no positions.
 */
export function perplexity(score: TextScore): number {
  const n = score.positions.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (const p of score.positions) sum += Math.log(clampProb(Math.exp(p.targetLogProb)));
  return Math.exp(-sum / n);
}

/**
 * KL(P‖Q) at one position, from top-k lists only.
 *
 * The approximation: the vocabulary is split into the reference's k tokens plus one 'other' bucket holding the
 * rest of both distributions' mass. For a reference token missing from the candidate's top-k, the candidate's
 * probability is unknown but at most min(its smallest listed probability, its unlisted mass); that bound is used.
 * Merging tokens into a bucket can only lower KL (data-processing inequality), so with complete candidate lists
 * this is a lower bound on the true KL; it is close when the reference's top-k holds most of its mass.
 *
 * KL ≈ Σ_{i ∈ topk(P)} p_i·ln(p_i / q_i) + p_other·ln(p_other / q_other)
 */
export function positionKl(
  reference: ReadonlyArray<{ id: number; logProb: number }>,
  candidate: ReadonlyArray<{ id: number; logProb: number }>,
): number {
  const q = new Map<number, number>();
  let qListed = 0;
  let qSmallest = 1;
  for (const c of candidate) {
    const p = clampProb(Math.exp(c.logProb));
    q.set(c.id, p);
    qListed += p;
    qSmallest = Math.min(qSmallest, p);
  }
  const qUnlisted = Math.max(0, 1 - qListed);
  let kl = 0;
  let pTop = 0;
  let qTop = 0;
  for (const r of reference) {
    const p = clampProb(Math.exp(r.logProb));
    const qi = clampProb(q.get(r.id) ?? Math.min(qSmallest, qUnlisted));
    kl += p * Math.log(p / qi);
    pTop += p;
    qTop += qi;
  }
  const pOther = 1 - pTop;
  const qOther = clampProb(1 - qTop);
  if (pOther > MIN_PROB) kl += pOther * Math.log(pOther / qOther);
  // The bucketed sum can dip a hair below 0 through rounding; KL itself cannot.
  return Math.max(0, kl);
}

export interface QualityComparison {
  /** Positions compared (the shorter of the two scores). */
  positions: number;
  /** Share of positions where both variants' most likely next token is the same, 0–1. */
  top1Agreement: number;
  /** Mean over positions of KL(reference ‖ candidate), nats; see positionKl for the top-k approximation. */
  meanKlNats: number;
  referencePerplexity: number;
  candidatePerplexity: number;
}

export type Compared = { ok: true; value: QualityComparison } | { ok: false; reason: string };

/**
 * Compares a candidate variant's score with the reference's on the same text.
 * top-1 agreement = mean over positions of [argmax P = argmax Q]; mean KL = mean of positionKl.
 * Refuses when the two were not scored on the same tokens (different text or tokenizer).
 */
export function compareScores(reference: TextScore, candidate: TextScore): Compared {
  const n = Math.min(reference.positions.length, candidate.positions.length);
  if (n === 0)
    return { ok: false, reason: 'Nothing to compare: a score has no positions (text too short?).' };
  const sameTokens =
    reference.tokenIds.length === candidate.tokenIds.length &&
    reference.tokenIds.every((id, i) => id === candidate.tokenIds[i]);
  if (!sameTokens) {
    return {
      ok: false,
      reason: 'The two variants tokenized the text differently, so their predictions cannot be paired.',
    };
  }
  let agree = 0;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    const r = reference.positions[i];
    const c = candidate.positions[i];
    if (!r || !c) continue;
    if (r.top[0] !== undefined && r.top[0].id === c.top[0]?.id) agree++;
    kl += positionKl(r.top, c.top);
  }
  return {
    ok: true,
    value: {
      positions: n,
      top1Agreement: agree / n,
      meanKlNats: kl / n,
      referencePerplexity: perplexity(reference),
      candidatePerplexity: perplexity(candidate),
    },
  };
}

/** A text score and the weight file it came from (its SHA-256), when the load knew it. */
export type FileScore = TextScore & { weightSha256?: string };

/** Dtypes from most to least precise; the first one present is the reference. */
export const PRECISION_ORDER = DTYPES_BY_PRECISION;

/** The fixed text every dtype is scored on (teacher forcing): plain English prose, no rare symbols. */
export const QUALITY_TEXT =
  'The history of computing is a story of moving data. Early machines spent most of their time waiting for memory, ' +
  'and modern accelerators are no different: a language model that generates one token at a time must read all of its ' +
  'weights for every token it writes. That is why smaller numbers, stored in fewer bits, make the same model faster. ' +
  'The price is precision. Each weight rounded to four bits carries a small error, and the errors add up through the ' +
  'layers until, now and then, the model prefers a different next word.';
export const QUALITY_MAX_TOKENS = 96;
export const QUALITY_TOP_K = 20;

/**
 * The scores to keep for a model once its dtypes are scored: the reference (the first of `ordered` that was
 * scored) at agreement 1 and KL 0, and each other dtype that compares with it (compareScores), each naming the
 * weight file it scored when known. Empty when the reference was not scored: nothing else can be compared.
 */
export function scoreEntries(
  model: { id: string; randomWeights: boolean },
  ordered: readonly Dtype[],
  scores: Partial<Record<Dtype, FileScore>>,
  scoredAt: string,
): QualityScoreEntry[] {
  const reference = ordered[0];
  const refScore = reference ? scores[reference] : undefined;
  if (!reference || !refScore) return [];
  const entry = (dtype: Dtype, top1Agreement: number, meanKlNats: number): QualityScoreEntry => {
    const weightSha256 = scores[dtype]?.weightSha256;
    return {
      modelId: model.id,
      dtype,
      ...(weightSha256 ? { weightSha256 } : {}),
      top1Agreement,
      meanKlNats,
      referenceDtype: reference,
      randomWeights: model.randomWeights,
      scoredAt,
    };
  };
  const out = [entry(reference, 1, 0)];
  for (const dtype of ordered.slice(1)) {
    const score = scores[dtype];
    const cmp = score ? compareScores(refScore, score) : null;
    if (cmp?.ok) out.push(entry(dtype, cmp.value.top1Agreement, cmp.value.meanKlNats));
  }
  return out;
}
