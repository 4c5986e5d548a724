/**
 * How the lab launches Chromium, shared by the end-to-end tests (playwright.config.ts) and the benchmarks.
 * The network flags keep Chromium from calling home: this machine reaches no network but the package registries.
 */
export const OFFLINE_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** WebGPU is behind a flag on Linux; with it, Chromium without a GPU offers the SwiftShader (software) adapter. */
export const CHROMIUM_ARGS = [...OFFLINE_CHROMIUM_ARGS, '--enable-unsafe-webgpu'];

/** Debian's Chromium unless CHROMIUM_PATH says otherwise (Playwright cannot download a browser here). */
export const DEFAULT_CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
