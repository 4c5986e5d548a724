import { startTransition, useEffect, useRef, useState } from 'react';

/**
 * The value, updated at most once per `intervalMs` (the latest value always lands). Keeps expensive views such as
 * charts from re-rendering on every token while a run streams.
 */
export function useThrottled<T>(value: T, intervalMs: number): T {
  const [shown, setShown] = useState(value);
  const lastAt = useRef(0);
  useEffect(() => {
    const wait = lastAt.current + intervalMs - performance.now();
    // A transition: React renders the update in time slices, so a heavy view never blocks input for long.
    const show = () => {
      lastAt.current = performance.now();
      startTransition(() => setShown(value));
    };
    if (wait <= 0) {
      show();
      return;
    }
    const timer = setTimeout(show, wait);
    return () => clearTimeout(timer);
  }, [value, intervalMs]);
  return shown;
}
