import { useServiceWorker } from './service-worker.ts';

/**
 * What the page itself says about how it runs, under the header: a waiting update (applied only when the user
 * asks, so no code is swapped under a running measurement) and a page that is not cross-origin isolated
 * (its runs are stamped so, and would be slower and coarser than the same device isolated).
 */
export function AppStatus() {
  const { updateReady, applyUpdate } = useServiceWorker();
  const isolated = globalThis.crossOriginIsolated === true;
  if (!updateReady && isolated) return null;
  return (
    <div className="app-status">
      {updateReady && (
        <div className="message info" role="status" data-testid="update-available">
          <strong>Update available.</strong> A new version of the lab is ready; it loads when you choose, so a
          running measurement is not interrupted.{' '}
          <button type="button" onClick={applyUpdate}>
            Reload to update
          </button>
        </div>
      )}
      {!isolated && (
        <div className="message warn" role="note" data-testid="not-isolated">
          <strong>Not isolated: 1 thread, coarse timer.</strong> This page is not cross-origin isolated, so
          WASM runs single-threaded and timings are rounded to 100 µs; results are stamped so. The host must
          send COOP/COEP headers; on a host that cannot (a build with the service-worker fallback), reload
          once, and avoid a hard reload, which bypasses the service worker.
        </div>
      )}
    </div>
  );
}
