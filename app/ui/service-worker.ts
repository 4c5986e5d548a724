/**
 * Registers the lab's service worker (app/service.worker.ts) and tells the page what it means for the user:
 * an update waiting to be applied, or a reload that will make the page cross-origin isolated.
 */
import { Workbox } from 'workbox-window';
import { create } from 'zustand';

declare const __LAB_COI_SW__: boolean;

interface ServiceWorkerState {
  /** A new version is installed and waits for the user (never swapped in under a running measurement). */
  updateReady: boolean;
  /** Replaces the running version with the waiting one and reloads. */
  applyUpdate: () => void;
}

export const useServiceWorker = create<ServiceWorkerState>()(() => ({
  updateReady: false,
  applyUpdate: () => {},
}));

/**
 * How often an open page asks the server for a new version, besides whenever it becomes visible again: the
 * browser checks by itself only on a navigation, which a single-page app left open never makes.
 */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

/** Once per tab: the reload that brings the isolation headers (LAB_COI_SW builds) is not repeated in a loop. */
const ISOLATION_RELOAD_KEY = 'lab.isolationReload';

/**
 * Registers the service worker (production builds, where the browser has them). On a host without headers
 * (LAB_COI_SW), the first visit reloads once when the worker takes over, since only then are responses
 * re-served with COOP/COEP.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  const wb = new Workbox(`${import.meta.env.BASE_URL}service.worker.js`, { scope: import.meta.env.BASE_URL });
  wb.addEventListener('waiting', () => {
    useServiceWorker.setState({
      updateReady: true,
      applyUpdate: () => {
        wb.addEventListener('controlling', () => location.reload());
        wb.messageSkipWaiting();
      },
    });
  });
  if (__LAB_COI_SW__ && !globalThis.crossOriginIsolated) {
    wb.addEventListener('activated', () => {
      if (sessionStorage.getItem(ISOLATION_RELOAD_KEY) !== null) return;
      sessionStorage.setItem(ISOLATION_RELOAD_KEY, '1');
      location.reload();
    });
  }
  // Refused (private modes, blocked by policy): the lab works as before, online only.
  wb.register().catch(() => {});
  // Offline, or the server unreachable: the next check tries again.
  const checkForUpdate = () => {
    if (document.visibilityState === 'visible') wb.update().catch(() => {});
  };
  document.addEventListener('visibilitychange', checkForUpdate);
  setInterval(checkForUpdate, UPDATE_CHECK_MS);
}
