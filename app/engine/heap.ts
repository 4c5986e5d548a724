/**
 * The page's JS and WASM heap, where the browser measures it: performance.measureUserAgentSpecificMemory()
 * (Chromium, cross-origin isolated pages only). It counts the page and its workers, the inference worker's WASM
 * memory included. Chromium answers at its next garbage collection, which may take seconds: the wait is capped.
 */

interface MemoryMeasurement {
  bytes: number;
}

type MeasuringPerformance = Performance & {
  measureUserAgentSpecificMemory?: () => Promise<MemoryMeasurement>;
};

/** How long a run waits for the heap figure before it is recorded as unknown. */
export const HEAP_MEASURE_CAP_MS = 3_000;

/**
 * Heap bytes of the page and its workers, or null where the API is missing, the page is not cross-origin
 * isolated, the measurement fails or it does not arrive within `capMs`.
 */
export async function measureHeapBytes(
  capMs: number = HEAP_MEASURE_CAP_MS,
  perf: MeasuringPerformance = globalThis.performance,
  isolated: boolean = globalThis.crossOriginIsolated === true,
): Promise<number | null> {
  const measure = perf.measureUserAgentSpecificMemory;
  if (!isolated || typeof measure !== 'function') return null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cap = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), capMs);
  });
  try {
    const result = await Promise.race([measure.call(perf), cap]);
    const bytes = result?.bytes;
    return typeof bytes === 'number' && Number.isFinite(bytes) && bytes >= 0 ? bytes : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
