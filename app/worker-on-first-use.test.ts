import { afterEach, describe, expect, it, vi } from 'vitest';

// At the top of app/: this test imports several features at once, which the dependency rule forbids inside one.
afterEach(() => vi.unstubAllGlobals());

describe('The inference worker starts on first use', () => {
  it('importing the stores and drivers creates no inference worker', async () => {
    const created: string[] = [];
    vi.stubGlobal(
      'Worker',
      class {
        constructor(url: URL) {
          created.push(String(url));
        }
      },
    );
    await import('./measure/store.ts');
    await import('./compare/store.ts');
    await import('./hardware/scoring.ts');
    await import('./engine/runner.ts');
    expect(created).toEqual([]);
  });
});
