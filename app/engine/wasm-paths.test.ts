import { describe, expect, it } from 'vitest';
import { pinnedWasmPaths } from './wasm-paths.ts';

describe('pinnedWasmPaths', () => {
  it('gives absolute URLs and keeps the factory on the app origin when something swaps in a blob: URL', () => {
    const worker = 'https://lab.example/team/assets/inference.worker-abc.js';
    const paths = pinnedWasmPaths('/team/assets/ort.mjs', '/team/assets/ort.wasm', worker);
    expect(paths).toEqual({
      wasm: 'https://lab.example/team/assets/ort.wasm',
      mjs: 'https://lab.example/team/assets/ort.mjs',
    });
    paths.mjs = 'blob:https://lab.example/1234';
    expect(paths.mjs).toBe('https://lab.example/team/assets/ort.mjs');
  });
});
