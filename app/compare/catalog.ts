/** The model catalog as the comparison needs it: sizes for the charts and the sweep's choices. */
import { useEffect, useState } from 'react';
import type { Dtype } from '../engine/protocol.ts';
import { type CatalogModel, DEFAULT_HUB_HOST, HUB_MODELS, loadEmbeddedCatalog } from '../models/catalog.ts';
import type { ModelFactsLookup } from './exports.ts';
import type { SweepModel } from './sweep.ts';

let embedded: Promise<CatalogModel[]> | null = null;

/** Embedded models (read once per page) followed by the curated Hub models. */
export function useCatalog(): { models: CatalogModel[]; error: string | null } {
  const [state, setState] = useState<{ models: CatalogModel[]; error: string | null }>({
    models: HUB_MODELS,
    error: null,
  });
  useEffect(() => {
    let live = true;
    embedded ??= loadEmbeddedCatalog();
    embedded.then(
      (models) => live && setState({ models: [...models, ...HUB_MODELS], error: null }),
      (error: unknown) => {
        embedded = null;
        if (live)
          setState({ models: HUB_MODELS, error: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** Parameters and bytes per model and dtype, where the catalog knows them. */
export function factsFrom(models: readonly CatalogModel[]): ModelFactsLookup {
  const byId = new Map(models.map((m) => [m.id, m]));
  return (modelId, dtype) => {
    const model = byId.get(modelId);
    const file = model?.dtypes[dtype as Dtype];
    if (!model || !file || !(model.parameters > 0) || !(file.bytes > 0)) return undefined;
    return { parameters: model.parameters, bytes: file.bytes };
  };
}

/** The catalog as sweep choices. */
export const sweepModels = (models: readonly CatalogModel[]): SweepModel[] =>
  models.map((m) => ({
    id: m.id,
    source:
      m.source === 'embedded'
        ? { kind: 'embedded', id: m.id }
        : { kind: 'hub', id: m.id, host: DEFAULT_HUB_HOST },
    dtypes: Object.keys(m.dtypes) as Dtype[],
  }));
