/**
 * Which model a run measured, by what it is rather than where it came from: the same ONNX file served by the
 * lab itself (embedded), by a room's Hub mirror (`org/name`) or by the Hub is one model, and lands on one
 * leaderboard.
 */
import type { RunResult } from './run.ts';

/** Hex digits of the SHA-256 kept in a key: 64 bits, far beyond any chance collision among a class's models. */
export const MODEL_KEY_SHA_CHARS = 16;

/** A model id without its organisation: 'onnx-community/Qwen3-0.6B-ONNX' → 'Qwen3-0.6B-ONNX'. */
export const modelBaseName = (modelId: string): string => modelId.slice(modelId.lastIndexOf('/') + 1);

/**
 * The model's identity: modelKey = name | dtype | sha256:<first 16 hex digits of the weight file's SHA-256>,
 * where name is the id without its organisation (a mirror may file it under another one). Without a known
 * hash it is the full id | dtype: two organisations' models of the same name are not assumed to be one.
 */
export const modelKey = (run: Pick<RunResult, 'settings' | 'weightSha256'>): string =>
  modelKeyOf(run.settings.modelId, run.settings.dtype, run.weightSha256);

/** modelKey from its parts, for what is not a run (a quality score of a model's dtype). */
export const modelKeyOf = (modelId: string, dtype: string, weightSha256?: string | null): string =>
  weightSha256
    ? `${modelBaseName(modelId)}|${dtype}|sha256:${weightSha256.slice(0, MODEL_KEY_SHA_CHARS)}`
    : `${modelId}|${dtype}`;

/** The model as a leaderboard names it: the name the key uses (without organisation when the hash is known). */
export const modelKeyName = (run: Pick<RunResult, 'settings' | 'weightSha256'>): string =>
  run.weightSha256 ? modelBaseName(run.settings.modelId) : run.settings.modelId;
