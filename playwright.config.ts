import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM } from './scripts/chromium.ts';

const port = Number(process.env.LAB_E2E_PORT ?? 4175);
/** Where the page may fetch from in the tests, besides itself and the Hub: the local Hub mirror. */
export const E2E_CONNECT_SRC = 'http://127.0.0.1:*';

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  // 2-core machine: the model and the browser already use both cores.
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    trace: 'off',
    // The production build registers a service worker: specs run without it (a fresh context each test, no
    // cache carried between steps) unless they opt in, as e2e/ship.spec.ts does for offline use.
    serviceWorkers: 'block',
    launchOptions: {
      // Debian's Chromium: `playwright install` cannot download a browser here.
      executablePath: DEFAULT_CHROMIUM,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: `node node_modules/vite/bin/vite.js preview --port ${port} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    // The local Hub mirror (e2e/hub-mirror.ts) listens on a free 127.0.0.1 port: the preview server's CSP lets the
    // page fetch from it. Production's policy is untouched (it is built from the same module without this).
    env: { LAB_CONNECT_SRC: E2E_CONNECT_SRC },
    timeout: 60_000,
  },
});
