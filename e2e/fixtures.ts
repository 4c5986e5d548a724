import { test as base, expect } from '@playwright/test';

/** Hosts a test may talk to: this machine only. */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Every spec uses this `test`: any request that would leave the machine is aborted and fails the test,
 * and a page error (uncaught exception) fails it too.
 */
export const test = base.extend<{ networkGuard: string[] }>({
  networkGuard: [
    async ({ context }, use) => {
      const leaked: string[] = [];
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.protocol === 'data:' || url.protocol === 'blob:' || LOCAL_HOSTS.has(url.hostname)) {
          return route.continue();
        }
        leaked.push(url.href);
        return route.abort('blockedbyclient');
      });
      await use(leaked);
      expect(leaked, 'requests that tried to leave the machine').toEqual([]);
    },
    { auto: true },
  ],
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await use(page);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };
