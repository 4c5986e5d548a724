import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { labHeaders } from '../scripts/deploy/headers.ts';
import { expect, test } from './fixtures.ts';
import { runFromUi } from './helpers.ts';
import { type StaticHost, serveStatic } from './static-host.ts';

/** A quick measurement on the tiny embedded model: enough to prove the engine, its files and the model load. */
const TINY = 'model=tiny-random-llama&dtype=q8&device=wasm&p=16&g=8&r=1';

async function measureTiny(page: Page) {
  await runFromUi(page);
  const why = (await page.getByRole('alert').allTextContents()).join(' ');
  await expect(page.getByTestId('run-status'), why).toHaveText(/complete/);
}

test.describe('served as a product', () => {
  test('every page comes with isolation and a strict Content-Security-Policy', async ({ page }) => {
    const response = await page.goto('/');
    const headers = response?.headers() ?? {};
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
    const csp = headers['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect(page.getByTestId('not-isolated')).toHaveCount(0);
    // The manifest and its icons are served: the lab can be installed.
    const manifest = await (await page.request.get('/manifest.webmanifest')).json();
    expect(manifest.name).toBe('Inference Cost Lab');
    for (const icon of manifest.icons as { src: string }[]) {
      expect((await page.request.get(`/${icon.src}`)).ok(), icon.src).toBe(true);
    }
  });

  test('an injected inline script is refused, and the guard sees it', async ({ page, cspGuard }) => {
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeVisible();
    const blocked = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), {
            once: true,
          });
          const script = document.createElement('script');
          script.textContent = 'window.__injected = true';
          document.body.append(script);
        }),
    );
    expect(blocked).toBe('script-src-elem');
    expect(await page.evaluate(() => 'injected' in window || '__injected' in window)).toBe(false);
    // The fixture caught it too (so any other violation would have failed its test); this one was expected.
    await expect.poll(() => cspGuard.some((v) => v.includes('script-src-elem blocked inline'))).toBe(true);
    cspGuard.length = 0;
  });

  test('a page served without COOP/COEP says it is not isolated', async ({ page }) => {
    await page.route(/\/(\?.*)?$/, async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
    await page.goto('/');
    await expect(page.getByTestId('not-isolated')).toContainText('Not isolated: 1 thread, coarse timer');
  });
});

test.describe('offline after one visit', () => {
  test.use({ serviceWorkers: 'allow' });

  test('the service worker keeps the app, ONNX Runtime and the tiny model: a measurement runs offline', async ({
    page,
    context,
  }) => {
    await page.goto(`/?${TINY}`);
    // Ready = installed and active: the precache (app shell, ORT, tiny model) is complete.
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(new URL(scope).pathname).toBe('/');
    await context.setOffline(true);
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // Served from the cache with the headers it was stored with: still isolated.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await measureTiny(page);
    // Another view's code comes from the cache too.
    await page.getByRole('button', { name: 'Compare & share' }).click();
    await expect(page.getByRole('button', { name: 'Select all' })).toBeVisible();
    await context.setOffline(false);
  });
});

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

test.describe('deployed under a sub-path', () => {
  const BASE = '/team/inference-lab/';
  let server: ChildProcess | undefined;
  let origin = '';

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    const outDir = join(tmpdir(), `lab-subpath-${process.env.LAB_E2E_PORT ?? 4175}`);
    const env = { ...process.env, LAB_BASE: BASE, LAB_OUT_DIR: outDir };
    execFileSync('node', ['node_modules/vite/bin/vite.js', 'build', '--emptyOutDir', '--logLevel', 'error'], {
      env,
      stdio: 'inherit',
    });
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    server = spawn(
      'node',
      [
        'node_modules/vite/bin/vite.js',
        'preview',
        '--port',
        String(port),
        '--strictPort',
        '--host',
        '127.0.0.1',
      ],
      { env, stdio: 'ignore' },
    );
    await expect
      .poll(async () => (await fetch(`${origin}${BASE}`).catch(() => null))?.status, { timeout: 30_000 })
      .toBe(200);
  });

  test.afterAll(() => {
    server?.kill();
  });

  test('models, workers and ONNX Runtime load under it, and a result link made there opens there', async ({
    page,
  }) => {
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(`${origin}${BASE}?${TINY}`);
    await measureTiny(page);
    // Everything the page fetched from its origin lies under the sub-path (nothing at the host's root).
    const outside = requests.filter((p) => !p.startsWith(BASE));
    expect(outside).toEqual([]);
    expect(requests.some((p) => p.startsWith(`${BASE}models/tiny-random-llama/`))).toBe(true);
    expect(requests.some((p) => /\/assets\/ort-wasm.*\.wasm$/.test(p))).toBe(true);

    await page.getByRole('button', { name: 'Compare & share' }).click();
    await page.getByRole('button', { name: 'Select all' }).click();
    await page.getByRole('button', { name: 'Copy result link' }).click();
    const link = await page.getByRole('textbox', { name: 'Result link', exact: true }).inputValue();
    expect(link.startsWith(`${origin}${BASE}?view=compare#report=`)).toBe(true);

    const other = await page.context().newPage();
    await other.goto(link);
    const report = other.getByRole('region', { name: 'Shared results' });
    await expect(report).toContainText('tiny-random-llama');
    await other.close();
  });
});

test.describe('a new version deployed while the page is open', () => {
  test.use({ serviceWorkers: 'allow' });
  const dist = process.env.LAB_OUT_DIR ?? 'dist';
  let host: StaticHost | undefined;

  test.beforeAll(async () => {
    host = await serveStatic(dist, { headers: labHeaders() });
  });

  test.afterAll(() => host?.close());

  test('the page says an update is ready, keeps the running version, and loads the new one when asked', async ({
    page,
  }) => {
    if (!host) throw new Error('no host');
    await page.goto(`${host.origin}/?${TINY}`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // A returning visitor: the service worker controls the page.
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    // The next build: a changed index.html, hence a new revision in the service worker's precache list.
    const html = readFileSync(join(dist, 'index.html'), 'utf8').replace(
      '</head>',
      '<meta name="lab-build" content="next"></head>',
    );
    const worker = readFileSync(join(dist, 'service.worker.js'), 'utf8');
    const nextWorker = worker.replace(
      /"revision":"[0-9a-f]+","url":"index\.html"/,
      '"revision":"next","url":"index.html"',
    );
    expect(nextWorker, 'the precache list names index.html with a revision').not.toBe(worker);
    host.deploy({ '/index.html': html, '/service.worker.js': nextWorker });

    // Coming back to the tab is one of the moments an open page looks for a new version.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    const prompt = page.getByTestId('update-available');
    await expect(prompt).toContainText('Update available');
    // Nothing is swapped until the user asks: the page still runs the version it loaded.
    await expect(page.locator('meta[name="lab-build"]')).toHaveCount(0);
    await prompt.getByRole('button', { name: 'Reload to update' }).click();
    await expect(page.locator('meta[name="lab-build"]')).toHaveAttribute('content', 'next');
    await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
    await expect(page.getByTestId('update-available')).toHaveCount(0);
  });
});

test.describe('on a host that sends no headers (GitHub Pages), built with LAB_COI_SW=1', () => {
  test.use({ serviceWorkers: 'allow' });
  // A GitHub Pages project site lives under the repository's name.
  const BASE = '/inference-lab/';
  let host: StaticHost | undefined;

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    const outDir = join(tmpdir(), `lab-coi-${process.env.LAB_E2E_PORT ?? 4175}`);
    const env = { ...process.env, LAB_BASE: BASE, LAB_COI_SW: '1', LAB_OUT_DIR: outDir };
    execFileSync('node', ['node_modules/vite/bin/vite.js', 'build', '--emptyOutDir', '--logLevel', 'error'], {
      env,
      stdio: 'inherit',
    });
    host = await serveStatic(outDir, { base: BASE });
  });

  test.afterAll(() => host?.close());

  test('the service worker isolates the page after one reload; a hard reload is not isolated and says so', async ({
    page,
  }) => {
    if (!host) throw new Error('no host');
    const response = await page.goto(`${host.origin}${BASE}?${TINY}`);
    expect(response?.headers()['cross-origin-embedder-policy']).toBeUndefined();
    // The policy comes in a <meta> tag (without frame-ancestors, which a <meta> policy cannot carry).
    const csp = page.locator('meta[http-equiv="Content-Security-Policy"]');
    await expect(csp).toHaveAttribute('content', /script-src 'self' 'wasm-unsafe-eval';/);
    // The first visit reloads itself once the service worker has taken over; from then on it is isolated.
    const isolatedAndControlled = () =>
      page
        .evaluate(() => crossOriginIsolated && navigator.serviceWorker.controller !== null)
        .catch(() => false);
    await expect.poll(isolatedAndControlled, { timeout: 60_000 }).toBe(true);
    await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeVisible();
    await expect(page.getByTestId('not-isolated')).toHaveCount(0);
    // Workers and ONNX Runtime get the headers from the service worker too: a measurement runs.
    await measureTiny(page);

    // A hard reload bypasses the service worker: no headers, not isolated, and the page says so.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Page.reload', { ignoreCache: true });
    await expect(page.getByTestId('not-isolated')).toContainText('Not isolated: 1 thread, coarse timer');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  });
});
