import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Cross-origin isolation gives WASM threads and fine-grained timers; both servers send it. */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders, port: 4173, strictPort: false },
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  build: {
    // LAB_OUT_DIR lets parallel builds (and their `vite preview`) use their own folder.
    outDir: process.env.LAB_OUT_DIR ?? 'dist',
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // bench.html and bare.html are harness pages for `npm run bench` and `npm run bench:compare`, not app routes.
    rolldownOptions: { input: { index: 'index.html', bench: 'bench.html', bare: 'bare.html' } },
  },
  worker: { format: 'es' },
});
