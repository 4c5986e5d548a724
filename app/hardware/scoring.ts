/**
 * Scores the quality text with one dtype of a model through the lab's engine. Loading goes through the
 * measurement runner's ensureLoaded, which remembers what the shared worker holds, so a later measurement reloads
 * its own model instead of silently running on the one loaded here.
 */
import { engine } from '../engine/client.ts';
import type { Device, Dtype, ModelSource, TextScore } from '../engine/protocol.ts';
import { ensureLoaded } from '../engine/runner.ts';
import type { CatalogModel } from '../models/arithmetic.ts';
import { DEFAULT_HUB_HOST } from '../models/catalog.ts';
import { QUALITY_MAX_TOKENS, QUALITY_TEXT, QUALITY_TOP_K } from './quality.ts';

export const sourceOf = (m: CatalogModel): ModelSource =>
  m.source === 'hub' ? { kind: 'hub', id: m.id, host: DEFAULT_HUB_HOST } : { kind: 'embedded', id: m.id };

export async function scoreWithEngine(model: CatalogModel, dtype: Dtype, device: Device): Promise<TextScore> {
  await ensureLoaded(sourceOf(model), { dtype, device });
  return engine().score(QUALITY_TEXT, QUALITY_MAX_TOKENS, QUALITY_TOP_K);
}
