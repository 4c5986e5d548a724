/**
 * Seeded random numbers for the generated weights.
 *
 * Only integer arithmetic and one multiply per sample: no Math.log/Math.cos, whose last bit is not
 * promised to agree between JavaScript engines, so a seed gives the same bytes on every machine.
 */

/** A source of uniform numbers in [0, 1). */
export type Uniform = () => number;

/**
 * Mulberry32: a 32-bit state PRNG, small, fast and good enough for random weights.
 * Same seed, same sequence.
 */
export function mulberry32(seed: number): Uniform {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` samples from the uniform distribution on [-√3·std, √3·std), whose standard deviation is `std`.
 * Uniform rather than normal keeps the sampler exact (see the module comment); for timing models the
 * shape of the weight distribution does not matter, only its scale.
 */
export function uniformWeights(next: Uniform, count: number, std: number): Float32Array {
  const halfWidth = Math.sqrt(3) * std;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (next() * 2 - 1) * halfWidth;
  return out;
}
