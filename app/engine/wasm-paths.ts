import { absoluteUrl } from './asset-url.ts';

export interface WasmPaths {
  mjs: string;
  wasm: string;
}

/**
 * onnxruntime-web's file locations (`env.backends.onnx.wasm.wasmPaths`), absolute, with the factory pinned:
 * transformers.js caches the `.wasm` binary (good: a replaced worker starts fast) and would also swap `mjs` for
 * a blob: URL copy of the factory, which the Content-Security-Policy (`script-src 'self'`) refuses. Writes to
 * `mjs` are ignored, so the factory is always imported from the app's own origin.
 */
export function pinnedWasmPaths(
  mjsUrl: string,
  wasmUrl: string,
  base: string = globalThis.location.href,
): WasmPaths {
  const mjs = absoluteUrl(mjsUrl, base);
  const paths = { wasm: absoluteUrl(wasmUrl, base) } as WasmPaths;
  return Object.defineProperty(paths, 'mjs', { enumerable: true, get: () => mjs, set: () => {} });
}
