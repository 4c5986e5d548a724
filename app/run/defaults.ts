/**
 * The lengths a measurement uses unless the user says otherwise, shared by the Measure form and the sweep so that
 * their runs compare: runs at different P/G are different measurements and are never pooled.
 */
export const DEFAULT_RUN_LENGTHS = {
  /** Prompt tokens P. */
  promptTokens: 64,
  /** Generated tokens G. */
  genTokens: 32,
  /** Timed repetitions R. */
  reps: 3,
} as const;
