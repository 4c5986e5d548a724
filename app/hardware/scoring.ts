/**
 * Quantization-quality scoring through the lab's engine session: each dtype of a model is loaded and scores the
 * quality text, one dtype at a time, in the session's queue (so it never interleaves with a measurement), with the
 * lab-wide Hub host, and abortable at any point (the panel aborts when it unmounts).
 */

import { hubHost } from '../engine/hub-host.ts';
import type { Device, Dtype } from '../engine/protocol.ts';
import { modelIdentity } from '../engine/runner.ts';
import { session } from '../engine/session.ts';
import { type CatalogModel, modelSource } from '../models/catalog.ts';
import { type FileScore, QUALITY_MAX_TOKENS, QUALITY_TEXT, QUALITY_TOP_K } from './quality.ts';

/**
 * Scores the quality text with one dtype of a model: loads it (unless loaded) and runs one teacher-forced pass.
 * The score names the weight file it came from (its SHA-256, as a run's would: engine/runner.ts's modelIdentity).
 */
export function scoreWithEngine(
  model: CatalogModel,
  dtype: Dtype,
  device: Device,
  signal?: AbortSignal,
): Promise<FileScore> {
  return session.exclusive(signal, async (engine) => {
    // The session puts in the lab-wide Hub host; the one named here is not used.
    const loaded = await engine.load(modelSource(model, hubHost()), { dtype, device });
    const score = await engine.score(QUALITY_TEXT, QUALITY_MAX_TOKENS, QUALITY_TOP_K);
    const { weightSha256 } = modelIdentity(loaded.model);
    return weightSha256 ? { ...score, weightSha256 } : score;
  });
}

export type QualityEntry =
  | { state: 'scoring' }
  | { state: 'done'; score: FileScore }
  | { state: 'failed'; message: string }
  | { state: 'stopped' };

/**
 * Scores each dtype in turn (each needs its own model load; two at once would double the memory), reporting every
 * entry as it changes. Stops when `signal` aborts: the dtype being scored is reported 'stopped' and the rest are
 * left unscored.
 */
export async function scoreDtypes(
  dtypes: readonly Dtype[],
  scoreWith: (dtype: Dtype, signal: AbortSignal) => Promise<FileScore>,
  onEntry: (dtype: Dtype, entry: QualityEntry) => void,
  signal: AbortSignal,
): Promise<void> {
  for (const dtype of dtypes) {
    if (signal.aborted) return;
    onEntry(dtype, { state: 'scoring' });
    try {
      onEntry(dtype, { state: 'done', score: await scoreWith(dtype, signal) });
    } catch (error) {
      if (signal.aborted) {
        onEntry(dtype, { state: 'stopped' });
        return;
      }
      onEntry(dtype, { state: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }
}
