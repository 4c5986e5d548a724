import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DTYPES } from '../engine/protocol.ts';
import { parseModelConfig, weightSize } from './arithmetic.ts';
import {
  availableDtypes,
  type CatalogModel,
  catalogDtypes,
  customHubModel,
  fetchEmbeddedCatalog,
  fileBytes,
  HUB_MODELS,
  loadEmbeddedCatalog,
  modelFactsOf,
  modelSource,
  parseModelIndex,
} from './catalog.ts';

/** A GPT-2 style config.json: the catalog keeps it as read, the arithmetic parses it later. */
const TINY_CONFIG = {
  model_type: 'gpt2',
  n_embd: 64,
  n_layer: 2,
  n_head: 4,
  vocab_size: 293,
  n_positions: 1024,
};

const INDEX = {
  models: [
    {
      id: 'tiny-llama',
      label: 'Tiny LLaMA',
      parameters: 111_552,
      maxContextTokens: 4096,
      randomWeights: true,
      dtypes: {
        fp32: { file: 'onnx/model.onnx', bytes: 4000 },
        q4: { file: 'onnx/model_q4.onnx', bytes: 700 },
        bogus: { bytes: 1 },
      },
    },
  ],
};

/** A fetch that serves `files` by URL and answers 404 for anything else, recording what was asked. */
function fakeFetch(files: Record<string, unknown>) {
  const asked: string[] = [];
  const fn = async (input: RequestInfo | URL): Promise<Response> => {
    const url = String(input);
    asked.push(url);
    return url in files
      ? new Response(JSON.stringify(files[url]), { status: 200 })
      : new Response('not found', { status: 404 });
  };
  return { fn: fn as typeof fetch, asked };
}

describe('parseModelIndex', () => {
  it('reads ids, labels and per-dtype sizes, ignoring unknown dtypes', () => {
    expect(parseModelIndex({ models: [...INDEX.models, { id: 'no-sizes' }] })).toEqual([
      {
        id: 'tiny-llama',
        label: 'Tiny LLaMA',
        parameters: 111_552,
        maxContextTokens: 4096,
        randomWeights: true,
        dtypeBytes: { fp32: 4000, q4: 700 },
      },
      {
        id: 'no-sizes',
        label: 'no-sizes',
        parameters: 0,
        maxContextTokens: null,
        randomWeights: true,
        dtypeBytes: {},
      },
    ]);
  });

  it('drops entries whose id could escape the models folder, and never throws', () => {
    expect(
      parseModelIndex({ models: [{ id: '../etc' }, { id: '..' }, { id: 'a/b' }, { id: 3 }, null] }),
    ).toEqual([]);
    expect(parseModelIndex({ nothing: true })).toBeNull();
    fc.assert(
      fc.property(
        fc.anything(),
        (junk) => parseModelIndex(junk) === null || Array.isArray(parseModelIndex(junk)),
      ),
    );
  });
});

describe('the embedded catalog', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is read under the base URL the app is served from, with each model config', async () => {
    const { fn, asked } = fakeFetch({
      '/lab/models/index.json': INDEX,
      '/lab/models/tiny-llama/config.json': TINY_CONFIG,
    });
    const [model] = await fetchEmbeddedCatalog('/lab/', fn);
    expect(asked).toEqual(['/lab/models/index.json', '/lab/models/tiny-llama/config.json']);
    expect(model).toMatchObject({
      id: 'tiny-llama',
      source: 'embedded',
      parameters: 111_552,
      dtypes: { fp32: { bytes: 4000, exact: true }, q4: { bytes: 700, exact: true } },
      config: TINY_CONFIG,
      randomWeights: true,
    });
  });

  it('keeps a model whose config is missing, and says what to do when the list is missing', async () => {
    const { fn } = fakeFetch({ '/models/index.json': INDEX });
    const [model] = await fetchEmbeddedCatalog('/', fn);
    expect(model?.config).toEqual({});
    expect(parseModelConfig(model?.config).ok).toBe(false);
    await expect(fetchEmbeddedCatalog('/', fakeFetch({}).fn)).rejects.toThrow(/npm run models/);
    await expect(fetchEmbeddedCatalog('/', fakeFetch({ '/models/index.json': [1, 2] }).fn)).rejects.toThrow(
      /not a model list/,
    );
  });

  it('is fetched once per page however many features ask, and again after a failure', async () => {
    const { fn, asked } = fakeFetch({ [`${import.meta.env.BASE_URL}models/index.json`]: { models: [] } });
    vi.stubGlobal('fetch', fn);
    const [a, b] = await Promise.all([loadEmbeddedCatalog(), loadEmbeddedCatalog()]);
    expect(a).toBe(b);
    await loadEmbeddedCatalog();
    expect(asked).toHaveLength(1);
  });
});

describe('catalog models', () => {
  it('estimates Hub sizes with the same arithmetic the Hardware page uses', () => {
    for (const model of HUB_MODELS) {
      const shape = parseModelConfig(model.config);
      expect(shape.ok, model.id).toBe(true);
      if (!shape.ok) continue;
      for (const d of catalogDtypes(model)) {
        expect(model.dtypes[d]).toEqual({
          bytes: Math.round(weightSize(shape.value, d).bytes),
          exact: false,
        });
        // An estimate is not a file size: the arithmetic labels it so.
        expect(fileBytes(model, d)).toBeUndefined();
      }
    }
    // Fewer bits are smaller downloads; q4 keeps the embedding in fp32, so for a small model it exceeds q8.
    const smol = HUB_MODELS[0] as CatalogModel;
    const bytes = (d: 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16') => smol.dtypes[d]?.bytes ?? 0;
    expect(bytes('q8')).toBeLessThan(bytes('fp16'));
    expect(bytes('fp16')).toBeLessThan(bytes('fp32'));
    expect(bytes('q4f16')).toBeLessThan(bytes('q4'));
    expect(bytes('q4')).toBeGreaterThan(bytes('q8'));
  });

  it('lists dtypes in one order and hides half precision on an adapter without shader-f16', () => {
    const model: CatalogModel = {
      ...customHubModel('org/m'),
      dtypes: {
        q4: { bytes: 1, exact: true },
        fp32: { bytes: 4, exact: true },
        fp16: { bytes: 2, exact: true },
      },
    };
    expect(catalogDtypes(model)).toEqual(['fp32', 'fp16', 'q4']);
    expect(availableDtypes(model, 'webgpu', [])).toEqual(['fp32', 'q4']);
    expect(availableDtypes(model, 'webgpu', ['shader-f16'])).toEqual(['fp32', 'fp16', 'q4']);
    expect(availableDtypes(model, 'wasm', [])).toEqual(['fp32', 'fp16', 'q4']);
    expect(catalogDtypes(customHubModel('org/x'))).toEqual([...DTYPES]);
  });

  it('builds the source the engine loads from', () => {
    const hub = customHubModel('org/m');
    expect(modelSource(hub, 'https://mirror.local')).toEqual({
      kind: 'hub',
      id: 'org/m',
      host: 'https://mirror.local',
    });
    expect(modelSource({ id: 'tiny', source: 'embedded' }, 'https://x')).toEqual({
      kind: 'embedded',
      id: 'tiny',
    });
    const files = { 'config.json': new File(['{}'], 'config.json') };
    expect(modelSource(hub, 'https://x', files)).toEqual({ kind: 'files', id: 'org/m', files });
  });

  it('looks up parameters and bytes by id and dtype, and nothing it does not know', () => {
    const facts = modelFactsOf(HUB_MODELS);
    const smol = HUB_MODELS[0] as CatalogModel;
    expect(facts(smol.id, 'q4')).toEqual({ parameters: smol.parameters, bytes: smol.dtypes.q4?.bytes });
    expect(facts(smol.id, 'int3')).toBeUndefined();
    expect(facts('org/unknown', 'q4')).toBeUndefined();
    // A custom model knows neither its size nor its parameters until it loads.
    expect(modelFactsOf([customHubModel('org/m')])('org/m', 'q4')).toBeUndefined();
  });
});
