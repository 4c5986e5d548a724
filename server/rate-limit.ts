/**
 * Per-client rate limits: a token bucket per key (a participant, or an address for joins). A bucket holds
 * `burst` tokens and refills at `perSecond`; a request takes one token or is refused with the wait until the
 * next. Buckets live in memory: a restart forgives everyone, which a classroom can afford.
 */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

export interface RateLimiter {
  /** Takes a token for `key`: 0 when allowed, otherwise the seconds to wait (at least 1). */
  take(key: string, nowMs?: number): number;
}

/** A limiter over many keys; keys idle long enough to have refilled are forgotten so memory stays bounded. */
export function createRateLimiter({ burst, perSecond }: RateLimit, maxKeys = 10_000): RateLimiter {
  const buckets = new Map<string, { tokens: number; atMs: number }>();
  return {
    take(key, nowMs = Date.now()) {
      const bucket = buckets.get(key) ?? { tokens: burst, atMs: nowMs };
      bucket.tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.atMs) / 1000) * perSecond);
      bucket.atMs = nowMs;
      buckets.delete(key);
      buckets.set(key, bucket);
      if (buckets.size > maxKeys) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
    },
  };
}
