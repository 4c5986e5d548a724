import { describe, expect, it } from 'vitest';
import { absoluteUrl } from './asset-url.ts';

describe('absoluteUrl', () => {
  it('resolves a root-relative asset against the worker script, keeping its origin and the base path', () => {
    const worker = 'https://lab.example/some/path/assets/inference.worker-abc.js';
    expect(absoluteUrl('/some/path/assets/ort.mjs', worker)).toBe(
      'https://lab.example/some/path/assets/ort.mjs',
    );
    expect(absoluteUrl('https://lab.example/assets/ort.wasm', worker)).toBe(
      'https://lab.example/assets/ort.wasm',
    );
  });
});
