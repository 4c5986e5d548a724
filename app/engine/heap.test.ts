import { describe, expect, it } from 'vitest';
import { measureHeapBytes } from './heap.ts';

const perf = (measure?: () => Promise<unknown>) =>
  ({ measureUserAgentSpecificMemory: measure }) as unknown as Performance;

describe('measureHeapBytes', () => {
  it('reads the bytes where the API exists on an isolated page', async () => {
    expect(
      await measureHeapBytes(
        100,
        perf(async () => ({ bytes: 12_345 })),
        true,
      ),
    ).toBe(12_345);
  });

  it('is null without the API, without isolation, on failure, on garbage and past the cap', async () => {
    expect(await measureHeapBytes(100, perf(), true)).toBeNull();
    expect(
      await measureHeapBytes(
        100,
        perf(async () => ({ bytes: 1 })),
        false,
      ),
    ).toBeNull();
    expect(
      await measureHeapBytes(
        100,
        perf(() => Promise.reject(new Error('SecurityError'))),
        true,
      ),
    ).toBeNull();
    expect(
      await measureHeapBytes(
        100,
        perf(async () => ({ bytes: 'lots' })),
        true,
      ),
    ).toBeNull();
    expect(
      await measureHeapBytes(
        10,
        perf(() => new Promise(() => {})),
        true,
      ),
    ).toBeNull();
  });
});
