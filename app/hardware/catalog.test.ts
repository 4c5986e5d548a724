import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLabCatalog, parseModelIndex } from './catalog.ts';

describe('parseModelIndex', () => {
  it('reads ids, labels and per-dtype sizes', () => {
    const entries = parseModelIndex({
      models: [
        {
          id: 'tiny-llama',
          label: 'Tiny LLaMA',
          randomWeights: true,
          dtypes: {
            fp32: { file: 'onnx/model.onnx', bytes: 4000 },
            q4: { file: 'onnx/model_q4.onnx', bytes: 700 },
            bogus: { bytes: 1 },
          },
        },
        { id: 'no-sizes' },
      ],
    });
    expect(entries).toEqual([
      { id: 'tiny-llama', label: 'Tiny LLaMA', randomWeights: true, dtypeBytes: { fp32: 4000, q4: 700 } },
      { id: 'no-sizes', label: 'no-sizes', randomWeights: false, dtypeBytes: {} },
    ]);
  });

  it('drops entries whose id could escape the models folder, and never throws', () => {
    expect(parseModelIndex({ models: [{ id: '../etc' }, { id: 3 }, null] })).toEqual([]);
    fc.assert(fc.property(fc.anything(), (junk) => Array.isArray(parseModelIndex(junk))));
  });
});

describe('fromLabCatalog', () => {
  it('keeps exact sizes only and remembers which dtypes exist', () => {
    const m = fromLabCatalog({
      id: 'org/model',
      label: 'Model',
      source: 'hub',
      parameters: 1000,
      dtypes: { fp32: { bytes: 4000, exact: true }, q4: { bytes: 900, exact: false } },
      config: { hidden_size: 8 },
      randomWeights: false,
      maxContextTokens: 2048,
    });
    expect(m).toEqual({
      id: 'org/model',
      label: 'Model',
      config: { hidden_size: 8 },
      dtypeBytes: { fp32: 4000 },
      dtypes: ['fp32', 'q4'],
      randomWeights: false,
      source: 'hub',
    });
  });
});
