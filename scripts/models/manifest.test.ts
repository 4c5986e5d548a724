import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ModelManifest, parseModelManifest } from './manifest.ts';

const manifest: ModelManifest = {
  models: [
    {
      id: 'tiny-random-llama',
      label: 'Tiny random LLaMA (0.1M)',
      parameters: 111_552,
      layers: 2,
      hiddenSize: 64,
      vocabSize: 293,
      maxContextTokens: 4096,
      randomWeights: true,
      dtypes: {
        fp32: { file: 'onnx/model.onnx', bytes: 461_000 },
        fp16: { file: 'onnx/model_fp16.onnx', bytes: 277_000 },
        q8: { file: 'onnx/model_quantized.onnx', bytes: 193_000 },
        q4: { file: 'onnx/model_q4.onnx', bytes: 152_000 },
      },
    },
  ],
};

describe('parseModelManifest', () => {
  it('reads back what the generator writes', () => {
    expect(parseModelManifest(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest);
  });

  it('names the bad field', () => {
    const [first] = manifest.models;
    const broken = { models: [{ ...first, dtypes: { fp32: { file: 'onnx/model.onnx', bytes: 1 } } }] };
    expect(() => parseModelManifest(broken)).toThrow('models[0].dtypes.fp16');
  });

  it('throws an Error, never anything else, on garbage', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          parseModelManifest(value);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
    );
  });
});
