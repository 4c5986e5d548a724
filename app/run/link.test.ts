import fc from 'fast-check';
import type { FlateStreamHandler, InflateStreamOptions } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import type { Ms } from '../engine/protocol.ts';
import {
  decodeReport,
  encodeReport,
  extractPayload,
  MAX_INFLATED_BYTES,
  MAX_PAYLOAD_CHARS,
  packJson,
  reportUrl,
  TEN_RUN_LINK_BUDGET_CHARS,
} from './link.ts';
import type { RunResult } from './run.ts';
import { isSummaryOnly } from './schema.ts';
import { summarize } from './stats.ts';
import { syntheticRun } from './synthetic.ts';

/** Bytes fflate's inflaters handed out, to see how much of a "zip bomb" was unpacked before it was refused. */
const inflated = vi.hoisted(() => ({ bytes: 0 }));
vi.mock('fflate', async (importOriginal) => {
  const fflate = await importOriginal<typeof import('fflate')>();
  const counted =
    (handler: FlateStreamHandler | undefined): FlateStreamHandler =>
    (chunk, final) => {
      inflated.bytes += chunk.length;
      handler?.(chunk, final);
    };
  const handlerOf = (a?: InflateStreamOptions | FlateStreamHandler, b?: FlateStreamHandler) =>
    counted(typeof a === 'function' ? a : b);
  class Inflate extends fflate.Inflate {
    constructor(a?: InflateStreamOptions | FlateStreamHandler, b?: FlateStreamHandler) {
      super(handlerOf(a, b));
    }
  }
  class Unzlib extends fflate.Unzlib {
    constructor(a?: InflateStreamOptions | FlateStreamHandler, b?: FlateStreamHandler) {
      super(handlerOf(a, b));
    }
  }
  return { ...fflate, Inflate, Unzlib };
});

/** base64url, as links carry it. */
const base64Url = (bytes: Uint8Array): string =>
  Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/**
 * A zlib stream of one fixed-Huffman DEFLATE block: a zero byte, then `copies` × (length 258, distance 1),
 * so 13 bits unpack to 258 bytes. Its checksum trailer is left zero: a decoder must stop long before it.
 */
function zlibBomb(copies: number): Uint8Array {
  const bytes = new Uint8Array(2 + Math.ceil((3 + 8 + 13 * copies + 7) / 8) + 4);
  bytes[0] = 0x78;
  bytes[1] = 0x01;
  let bit = 16;
  const put = (value: number, width: number, huffman: boolean) => {
    for (let i = 0; i < width; i++) {
      const b = huffman ? (value >> (width - 1 - i)) & 1 : (value >> i) & 1;
      if (b) bytes[bit >> 3] = (bytes[bit >> 3] as number) | (1 << (bit & 7));
      bit++;
    }
  };
  put(1, 1, false); // last block
  put(1, 2, false); // fixed Huffman codes
  put(0x30, 8, true); // literal 0
  for (let i = 0; i < copies; i++) {
    put(0xc5, 8, true); // length 258 (symbol 285)
    put(0, 5, true); // distance 1
  }
  put(0, 7, true); // end of block
  return bytes;
}

const tenRuns = (): RunResult[] =>
  Array.from({ length: 10 }, (_, i) =>
    syntheticRun(i + 1, {
      modelId: ['tiny-random-llama', 'small-random-llama', 'medium-random-llama'][i % 3],
      dtype: (['fp32', 'fp16', 'q8', 'q4'] as const)[i % 4],
      device: i % 2 ? 'webgpu' : 'wasm',
      genTokens: 128,
      promptTokens: 512,
      reps: 3,
    }),
  );

function decoded(payload: string): RunResult[] {
  const result = decodeReport(payload);
  if (!result.ok) throw new Error(result.error);
  return result.report.runs;
}

/** A valid run built from fast-check values; times are whole microseconds, as the worker's timer gives. */
const arbitraryRun: fc.Arbitrary<RunResult> = fc
  .record({
    seed: fc.integer({ min: 0, max: 1e6 }),
    reps: fc.integer({ min: 1, max: 4 }),
    genTokens: fc.integer({ min: 2, max: 40 }),
    promptTokens: fc.integer({ min: 1, max: 4096 }),
    decode: fc.double({ min: 1, max: 500, noNaN: true }),
    name: fc.string({ maxLength: 40 }),
    tags: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
    device: fc.constantFrom('wasm' as const, 'webgpu' as const),
    dtype: fc.constantFrom('fp32' as const, 'fp16' as const, 'q8' as const, 'q4' as const, 'q4f16' as const),
    partialLast: fc.boolean(),
    costScenario: fc.option(fc.jsonValue(), { nil: undefined }),
  })
  .map(({ seed, reps, genTokens, promptTokens, decode, name, tags, device, dtype, partialLast }) => {
    const run = syntheticRun(seed, {
      reps,
      genTokens,
      promptTokens,
      decodeTokPerS: decode,
      device,
      dtype,
      name,
    });
    run.tags = tags;
    const last = run.repetitions[run.repetitions.length - 1];
    if (partialLast && last) {
      last.partial = true;
      last.tokenTimesMs = last.tokenTimesMs.slice(0, 1) as Ms[];
    }
    return run;
  });

describe('result links', () => {
  it('carry per-token detail exactly when asked', () => {
    const runs = tenRuns();
    expect(decoded(encodeReport(runs, { perToken: true }))).toEqual(runs);
  });

  it('summary links keep every metric the report shows', () => {
    const runs = tenRuns();
    const back = decoded(encodeReport(runs));
    expect(back).toHaveLength(10);
    back.forEach((run, i) => {
      const original = runs[i] as RunResult;
      expect(run.settings).toEqual(original.settings);
      expect(run.env.userAgent).toBe(original.env.userAgent);
      expect(isSummaryOnly(run)).toBe(true);
      const a = summarize(original.repetitions);
      const b = summarize(run.repetitions);
      for (const key of ['ttftMs', 'e2eMs', 'tpotMs', 'decodeTokPerS', 'prefillTokPerS'] as const) {
        expect(b?.[key].median).toBeCloseTo(a?.[key].median ?? Number.NaN, 6);
        expect(b?.[key].min).toBeCloseTo(a?.[key].min ?? Number.NaN, 6);
        expect(b?.[key].max).toBeCloseTo(a?.[key].max ?? Number.NaN, 6);
      }
    });
  });

  it(`ten runs' summaries fit the ${TEN_RUN_LINK_BUDGET_CHARS}-character budget`, () => {
    const url = reportUrl(
      'https://lab.example.org/',
      encodeReport(tenRuns(), { costScenario: { hoursPerDay: 8 } }),
    );
    expect(url.length).toBeLessThanOrEqual(TEN_RUN_LINK_BUDGET_CHARS);
  });

  it('carries the cost scenario untouched', () => {
    const scenario = { pricePerHourUsd: 1.2, nested: [1, 'two', null] };
    const result = decodeReport(encodeReport(tenRuns().slice(0, 1), { costScenario: scenario }));
    expect(result.ok && result.report.costScenario).toEqual(scenario);
  });

  it('round-trips any valid result set (per-token detail)', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryRun, { maxLength: 5 }),
        fc.option(fc.jsonValue(), { nil: undefined }),
        (runs, cost) => {
          const result = decodeReport(encodeReport(runs, { perToken: true, costScenario: cost }));
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          expect(result.report.runs).toEqual(runs);
          // JSON normalises -0 to 0, the one change a JSON value may see.
          expect(result.report.costScenario).toEqual(
            cost === undefined ? undefined : JSON.parse(JSON.stringify(cost)),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('round-trips any valid result set to the same summaries (summary links)', () => {
    fc.assert(
      fc.property(fc.array(arbitraryRun, { maxLength: 5 }), (runs) => {
        const back = decoded(encodeReport(runs));
        expect(back.map((r) => r.settings)).toEqual(runs.map((r) => r.settings));
        back.forEach((run, i) => {
          const a = summarize((runs[i] as RunResult).repetitions);
          const b = summarize(run.repetitions);
          expect(b === null).toBe(a === null);
          if (a && b) {
            expect(b.validReps).toBe(a.validReps);
            expect(b.ttftMs.median).toBeCloseTo(a.ttftMs.median, 6);
            expect(b.decodeTokPerS.median).toBeCloseTo(a.decodeTokPerS.median, 4);
          }
        });
        // Encoding a decoded summary link gives the same link.
        expect(encodeReport(back)).toBe(encodeReport(runs));
      }),
      { numRuns: 60 },
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.base64String(), fc.stringMatching(/^[A-Za-z0-9_-]{0,200}$/)),
        (text) => {
          const result = decodeReport(text);
          if (!result.ok) expect(result.error.length).toBeGreaterThan(10);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on any edit of a valid link', () => {
    const payload = encodeReport(tenRuns().slice(0, 2));
    fc.assert(
      fc.property(fc.nat(payload.length - 1), fc.constantFrom(...'ABCxyz019-_'), (at, ch) => {
        const tampered = payload.slice(0, at) + ch + payload.slice(at + 1);
        const result = decodeReport(tampered);
        if (!result.ok) expect(result.error).toMatch(/link/i);
      }),
      { numRuns: 300 },
    );
  });

  it('any one-character edit or added characters are refused or change nothing (the checksum is checked)', () => {
    const runs = tenRuns().slice(0, 2);
    for (const perToken of [false, true]) {
      const payload = encodeReport(runs, { perToken });
      const original = decoded(payload);
      const alphabet = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];
      const edit = fc.oneof(
        fc
          .tuple(fc.nat(payload.length - 1), fc.constantFrom(...alphabet))
          .map(([at, ch]) => payload.slice(0, at) + ch + payload.slice(at + 1)),
        fc
          .array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 12 })
          .map((tail) => payload + tail.join('')),
      );
      fc.assert(
        fc.property(edit, (tampered) => {
          const result = decodeReport(tampered);
          if (result.ok) expect(result.report.runs).toEqual(original);
          else expect(result.error).toMatch(/link/i);
        }),
        { numRuns: 1_500 },
      );
    }
  });

  it('says a link whose contents do not match its checksum was changed', () => {
    const bytes = Buffer.from(extractPayload(encodeReport(tenRuns().slice(0, 1))), 'base64url');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    expect(decodeReport(base64Url(bytes))).toEqual({
      ok: false,
      error: expect.stringMatching(/checksum/),
    });
  });

  it('stops unpacking a zip bomb at the size limit instead of unpacking it all', () => {
    const bomb = base64Url(zlibBomb(1_500_000)); // 387 MB when unpacked
    expect(bomb.length).toBeLessThan(MAX_PAYLOAD_CHARS);
    inflated.bytes = 0;
    expect(decodeReport(bomb)).toEqual({ ok: false, error: expect.stringMatching(/more than 32 MB/) });
    expect(inflated.bytes).toBeGreaterThan(MAX_INFLATED_BYTES / 2);
    expect(inflated.bytes).toBeLessThan(MAX_INFLATED_BYTES + 8 * 1024 * 1024);
  });

  it('explains truncated links', () => {
    const payload = encodeReport(tenRuns());
    const result = decodeReport(payload.slice(0, payload.length / 2));
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/damaged or cut short/) });
  });

  it('explains links with foreign characters', () => {
    expect(decodeReport('abc$%^')).toEqual({ ok: false, error: expect.stringMatching(/characters/) });
  });

  it('explains empty links', () => {
    expect(decodeReport('https://x.org/?view=compare#report=')).toEqual({
      ok: false,
      error: expect.stringMatching(/no results/),
    });
  });

  it('refuses oversized links before unpacking them', () => {
    const result = decodeReport('A'.repeat(MAX_PAYLOAD_CHARS + 1));
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/too long/) });
  });

  it('refuses links that unpack to a huge payload (zip bomb)', () => {
    const bomb = packJson({ v: 2, d: 0, envs: [], runs: [], pad: 'x'.repeat(40 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(MAX_PAYLOAD_CHARS);
    expect(decodeReport(bomb)).toEqual({ ok: false, error: expect.stringMatching(/more than 32 MB/) });
  });

  it('refuses summary links that claim millions of tokens', () => {
    const run = tenRuns()[0] as RunResult;
    const payload = encodeReport([run]);
    const result = decodeReport(payload);
    if (!result.ok) throw new Error(result.error);
    const json = {
      v: 2,
      d: 0,
      envs: [run.env],
      runs: [
        {
          i: 'x',
          c: run.createdAt,
          n: 'x',
          t: [],
          s: ['m', 'embedded', 'q8', 'wasm', 1, 2, 1000],
          e: 0,
          l: [0, 0, 0],
          w: null,
          st: 'complete',
          no: [],
          r: Array.from({ length: 1000 }, (_, i) => [i, 1, 1, 2, 100_000, 0]),
        },
      ],
    };
    expect(decodeReport(packJson(json))).toEqual({ ok: false, error: expect.stringMatching(/at most/) });
  });

  it('names a future format version instead of guessing', () => {
    expect(decodeReport(packJson({ v: 7, anything: true }))).toEqual({
      ok: false,
      error: expect.stringMatching(/newer version of the lab \(format v7\)/),
    });
  });

  it('rejects tampered values with the field that is wrong', () => {
    const run = tenRuns()[0] as RunResult;
    const bad = { ...run, settings: { ...run.settings, dtype: 'int3' } };
    const result = decodeReport(packJson({ v: 2, d: 1, runs: [bad] }));
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/settings\.dtype/) });
  });

  it('rejects JSON that is not a result link', () => {
    expect(decodeReport(packJson({ hello: 'world' }))).toEqual({
      ok: false,
      error: expect.stringMatching(/not a result link/),
    });
  });

  it('upgrades the first link format (a bare array of runs)', () => {
    const runs = tenRuns().slice(0, 3);
    const result = decodeReport(packJson(runs));
    expect(result.ok && result.report.sourceVersion).toBe(1);
    expect(result.ok && result.report.runs).toEqual(runs);
  });

  it('finds the payload in a whole URL', () => {
    expect(extractPayload(' https://x.org/a?view=compare#report=abc_-9 ')).toBe('abc_-9');
    expect(extractPayload('report=xyz')).toBe('xyz');
  });
});
