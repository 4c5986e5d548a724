/**
 * An asset URL (as Vite's `?url` import gives it, root-relative) made absolute against where the code runs: a
 * worker's or the page's location. onnxruntime-web needs absolute paths to see that its files are same-origin;
 * otherwise it re-imports them from blob: URLs, which the lab's Content-Security-Policy refuses.
 */
export const absoluteUrl = (url: string, base: string = globalThis.location.href): string =>
  new URL(url, base).href;
