import { test as base, expect } from '@playwright/test';

/** Hosts a test may talk to: this machine only. */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Every spec uses this `test`: any request that would leave the machine is aborted and fails the test, and
 * so do a page error (uncaught exception) and a Content-Security-Policy violation.
 */
export const test = base.extend<{ networkGuard: string[]; cspGuard: string[] }>({
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
  /**
   * The Content-Security-Policy is part of the product: any `securitypolicyviolation` event on any page (or a
   * violation Chromium logs from a worker) fails the test, naming the directive and what it blocked.
   */
  cspGuard: [
    async ({ context }, use) => {
      const violations: string[] = [];
      await context.exposeBinding('__labCspViolation', (_source, text: unknown) => {
        violations.push(String(text));
      });
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          const report = (window as unknown as { __labCspViolation?: (text: string) => void })
            .__labCspViolation;
          report?.(
            `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`,
          );
        });
      });
      context.on('console', (msg) => {
        if (/Content Security Policy/i.test(msg.text()) && /refused|blocked/i.test(msg.text())) {
          violations.push(msg.text());
        }
      });
      await use(violations);
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
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
