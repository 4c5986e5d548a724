import { describe, expect, it } from 'vitest';
import { DEVICES, DTYPES, ERROR_CODES } from '../engine/protocol.ts';
import { RUN_STATUSES, type RunResult, SOURCE_KINDS } from './run.ts';
import { parseRunResult } from './schema.ts';
import { syntheticRun } from './synthetic.ts';

/** A run as JSON would bring it back (what history, files and links hand to the parser). */
const roundTrip = (run: RunResult): unknown => JSON.parse(JSON.stringify(run));

describe('the run schema reads every value of the lists the types are made from', () => {
  it.each(DTYPES.flatMap((dtype) => DEVICES.map((device) => [dtype, device] as const)))(
    'a run in %s on %s',
    (dtype, device) => {
      const parsed = parseRunResult(roundTrip(syntheticRun(1, { dtype, device })));
      expect(parsed.ok && [parsed.run.settings.dtype, parsed.run.settings.device]).toEqual([dtype, device]);
    },
  );

  it.each(ERROR_CODES)('a run that failed with %s', (code) => {
    const run: RunResult = { ...syntheticRun(2), status: 'failed', error: { code, message: 'it failed' } };
    const parsed = parseRunResult(roundTrip(run));
    expect(parsed.ok && parsed.run.error?.code).toBe(code);
  });

  it.each(RUN_STATUSES.flatMap((status) => SOURCE_KINDS.map((sourceKind) => [status, sourceKind] as const)))(
    'a %s run of a model from %s',
    (status, sourceKind) => {
      const base = syntheticRun(3);
      const run: RunResult = { ...base, status, settings: { ...base.settings, sourceKind } };
      const parsed = parseRunResult(roundTrip(run));
      expect(parsed.ok && [parsed.run.status, parsed.run.settings.sourceKind]).toEqual([status, sourceKind]);
    },
  );

  it('and names the field when a value is not in a list', () => {
    const run = roundTrip(syntheticRun(4)) as { settings: Record<string, unknown>; error?: unknown };
    expect(parseRunResult({ ...run, settings: { ...run.settings, dtype: 'q2' } })).toMatchObject({
      ok: false,
      error: expect.stringContaining('settings.dtype'),
    });
    expect(
      parseRunResult({ ...run, status: 'failed', error: { code: 'no-such-code', message: 'x' } }),
    ).toMatchObject({ ok: false, error: expect.stringContaining('error.code') });
  });
});
