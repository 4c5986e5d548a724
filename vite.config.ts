import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import {
  contentSecurityPolicy,
  labHeaders,
  netlifyHeaders,
  type Parsed,
  parseBase,
  parseConnectSrc,
} from './scripts/deploy/headers.ts';

function orThrow<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

/** `LAB_BASE=/some/path/`: serve (and build for) a sub-path. */
const base = orThrow(parseBase(process.env.LAB_BASE));
/** `LAB_CONNECT_SRC='https://mirror.example'`: a Hub mirror the page may fetch from (CSP `connect-src`). */
const connectSrc = orThrow(parseConnectSrc(process.env.LAB_CONNECT_SRC));
/**
 * `LAB_COI_SW=1`: a host that sends no headers (GitHub Pages). The service worker re-serves every response
 * with COOP/COEP (one reload on the first visit), and the CSP comes as a `<meta>` tag.
 */
const coiServiceWorker = process.env.LAB_COI_SW === '1';
const outDir = process.env.LAB_OUT_DIR ?? 'dist';

/** Keeps the built `_headers` in step with this build's `connect-src`; adds the `<meta>` CSP for LAB_COI_SW. */
function deployFiles(): Plugin {
  return {
    name: 'lab-deploy-files',
    apply: 'build',
    transformIndexHtml: () =>
      coiServiceWorker
        ? [
            {
              tag: 'meta',
              attrs: {
                'http-equiv': 'Content-Security-Policy',
                content: contentSecurityPolicy({ connectSrc, meta: true }),
              },
              injectTo: 'head-prepend',
            },
          ]
        : [],
    closeBundle() {
      writeFileSync(join(outDir, '_headers'), netlifyHeaders({ connectSrc }));
    },
  };
}

export default defineConfig({
  base,
  plugins: [
    react(),
    deployFiles(),
    VitePWA({
      // Our own service worker (app/service.worker.ts): Workbox precaching plus the COOP/COEP re-serving
      // that LAB_COI_SW turns on. The page registers it (app/ui/service-worker.ts), production builds only.
      strategies: 'injectManifest',
      srcDir: 'app',
      filename: 'service.worker.ts',
      registerType: 'prompt',
      injectRegister: false,
      // The icons are matched by globPatterns below; listing them twice would precache them twice.
      includeManifestIcons: false,
      manifest: {
        name: 'Inference Cost Lab',
        short_name: 'Cost Lab',
        description: 'Measure prefill and decode of language models in your browser and see what they cost.',
        start_url: '.',
        scope: '.',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#1f4e79',
        icons: [
          { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        // The app shell, ONNX Runtime (its .wasm is ~27 MB) and the tiny embedded model: enough to measure
        // offline after one visit. Larger embedded models are cached when first loaded (see the worker).
        globPatterns: [
          'index.html',
          'icons/*',
          'assets/*.{js,mjs,css,wasm}',
          'models/index.json',
          'models/tiny-random-llama/**/*',
        ],
        // The bench CLI's harness pages are not part of the app.
        globIgnores: ['bench.html', 'bare.html', 'assets/bench-*', 'assets/bare-*', 'assets/bare.worker-*'],
        maximumFileSizeToCacheInBytes: 48 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  define: { __LAB_COI_SW__: JSON.stringify(coiServiceWorker) },
  server: { headers: labHeaders({ connectSrc, dev: true }) },
  preview: { headers: labHeaders({ connectSrc }), port: 4173, strictPort: false },
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  build: {
    // LAB_OUT_DIR lets parallel builds (and their `vite preview`) use their own folder.
    outDir,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // bench.html and bare.html are harness pages for `npm run bench` and `npm run bench:compare`, not app routes.
    rolldownOptions: {
      input: { index: 'index.html', bench: 'bench.html', bare: 'bare.html' },
      output: {
        codeSplitting: {
          // zod and the module that makes it jitless share one chunk, which every schema's chunk imports, so
          // `config({ jitless: true })` runs before any schema is built: building an object schema otherwise
          // probes `new Function`, a CSP violation. Left to chance, the entry's static imports are evaluated
          // first and whether one of them builds a schema depends on how the chunks fall.
          groups: [
            { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]|[\\/]app[\\/]ui[\\/]zod-jitless\.ts$/ },
          ],
        },
      },
    },
  },
  worker: { format: 'es' },
});
