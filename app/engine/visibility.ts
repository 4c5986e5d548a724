/**
 * Remembers when the tab was hidden. Browsers throttle hidden tabs (timers, rAF, sometimes the GPU), so a
 * repetition that overlaps a hidden interval is marked invalid rather than silently skewing the result.
 * Times are epoch milliseconds (performance.timeOrigin + now) so worker timestamps can be compared.
 */
const hiddenIntervals: Array<{ from: number; to: number | null }> = [];
const nowEpoch = () => performance.timeOrigin + performance.now();

if (typeof document !== 'undefined') {
  if (document.visibilityState === 'hidden') hiddenIntervals.push({ from: nowEpoch(), to: null });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') hiddenIntervals.push({ from: nowEpoch(), to: null });
    else {
      const open = hiddenIntervals.at(-1);
      if (open && open.to === null) open.to = nowEpoch();
    }
  });
}

/** True when the tab was hidden at any moment between `fromEpochMs` and `toEpochMs`. */
export function wasHiddenBetween(fromEpochMs: number, toEpochMs: number): boolean {
  return hiddenIntervals.some(
    ({ from, to }) => from <= toEpochMs && (to ?? Number.POSITIVE_INFINITY) >= fromEpochMs,
  );
}
