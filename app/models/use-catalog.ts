/** The catalog for React components: the curated Hub models at once, the embedded ones when they arrive. */
import { useEffect, useState } from 'react';
import { type CatalogModel, HUB_MODELS, loadEmbeddedCatalog } from './catalog.ts';

export interface CatalogState {
  /** Embedded models (once loaded) followed by the curated Hub models. */
  models: CatalogModel[];
  /** True until the embedded list has arrived or failed. */
  loading: boolean;
  /** Why the embedded list could not be read; the Hub models are still listed. */
  error: string | null;
}

/** Subscribes a component to the one catalog; every caller shares a single fetch (loadEmbeddedCatalog). */
export function useCatalog(): CatalogState {
  const [state, setState] = useState<CatalogState>({ models: HUB_MODELS, loading: true, error: null });
  useEffect(() => {
    let live = true;
    loadEmbeddedCatalog().then(
      (embedded) => live && setState({ models: [...embedded, ...HUB_MODELS], loading: false, error: null }),
      (error: unknown) =>
        live &&
        setState({
          models: HUB_MODELS,
          loading: false,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
