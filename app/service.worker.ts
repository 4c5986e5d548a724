/// <reference lib="webworker" />
/**
 * The lab's service worker (production builds; registered by app/ui/service-worker.ts).
 *
 * - Offline after one visit: the app shell, ONNX Runtime and the tiny embedded model are precached (the list
 *   is injected by vite-plugin-pwa); the other embedded models are cached the first time they load. Hub
 *   models are not touched here: transformers.js keeps them in its own Cache Storage.
 * - Updates wait: a new version stays "waiting" until the page asks for it (the "Update available" button),
 *   so code is never swapped under a running measurement.
 * - Hosts that send no headers (built with LAB_COI_SW=1, e.g. GitHub Pages): every same-origin response is
 *   re-served with COOP/COEP, which makes the page cross-origin isolated from its second load on. This is
 *   the approach of coi-serviceworker (github.com/gzuidhof/coi-serviceworker), folded into this worker because
 *   a scope has one service worker: registering both would have one replace the other.
 */

import type { WorkboxPlugin } from 'workbox-core/types';
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkOnly } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
};
declare const __LAB_COI_SW__: boolean;

/** Adds the isolation headers to a response the page or a worker will use (opaque responses cannot be). */
function withIsolation(response: Response): Response {
  if (response.type === 'opaque' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const isolation: WorkboxPlugin[] = __LAB_COI_SW__
  ? [{ handlerWillRespond: async ({ response }) => withIsolation(response) }]
  : [];

addPlugins(isolation);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

const scope = new URL(self.registration.scope);
const sameOrigin = (url: URL) => url.origin === scope.origin && url.pathname.startsWith(scope.pathname);

// Any page of the app (`?view=cost`, `#report=…`) is the one precached index.html; the bench pages are not.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/\/(bench|bare)\.html$/] }),
);

// Embedded models beyond the precached tiny one: cached on first load, then served from the cache.
registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname.startsWith(`${scope.pathname}models/`),
  new CacheFirst({
    cacheName: 'lab-embedded-models',
    plugins: [
      { cacheWillUpdate: async ({ response }) => (response.status === 200 ? response : null) },
      ...isolation,
    ],
  }),
);

// The rest of the app's origin passes through, re-served with the isolation headers where they are added.
if (__LAB_COI_SW__) registerRoute(({ url }) => sameOrigin(url), new NetworkOnly({ plugins: isolation }));

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
