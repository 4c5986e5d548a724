/**
 * Entry of bare.html, the reference page for `npm run bench:compare`: it runs transformers.js directly in a
 * plain module worker (bare.worker.ts) so the lab's engine can be compared with it in the same browser.
 * Benchmark reference only, not part of the app.
 */
import type { BareRequest, BareResult } from './bare-protocol.ts';

export interface BareBench {
  run(request: BareRequest): Promise<BareResult>;
}

declare global {
  interface Window {
    bareBench?: BareBench;
  }
}

const worker = new Worker(new URL('./bare.worker.ts', import.meta.url), { type: 'module', name: 'bare' });

window.bareBench = {
  run: (request) =>
    new Promise<BareResult>((resolve) => {
      const done = new AbortController();
      const finish = (result: BareResult) => {
        done.abort();
        resolve(result);
      };
      worker.addEventListener('message', (event: MessageEvent<BareResult>) => finish(event.data), done);
      worker.addEventListener('error', (event) => finish({ ok: false, message: event.message }), done);
      worker.postMessage(request);
    }),
};
document.body.dataset.ready = 'true';
