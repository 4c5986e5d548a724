/**
 * Result links: a versioned, compressed payload carried in the URL fragment (`#report=…`), which
 * browsers never send to a server. Encoding: JSON → zlib (fflate) → base64url. fflate's inflaters drop
 * the zlib stream's Adler-32 trailer unchecked, so the decoder checks it itself: that is what catches a
 * link that was cut or edited.
 *
 * Formats:
 * - v1: the first link format, a bare JSON array of full RunResults. Still read, upgraded to v2.
 * - v2: an envelope `{ v: 2, d, envs, runs, cost? }`. With `d: 0` (the default) each repetition is
 *   summarised as [rep, promptTokens, TTFT µs, E2E µs, tokens generated, flags] and identical
 *   environment stamps are stored once, so ten runs fit in a chat message; with `d: 1` the runs are
 *   carried whole, per-token timings and generated text included. Fields added since (who measured a run,
 *   its weight file's SHA-256, its Hub host) are optional keys, so older links still open and older labs
 *   ignore them.
 */
import { Inflate, strFromU8, strToU8, zlibSync } from 'fflate';
import { z } from 'zod';
import type { Ms } from '../engine/protocol.ts';
import { clipForMessage } from '../ui/quote.ts';
import type { EnvironmentStamp, Repetition, RunResult } from './run.ts';
import {
  describeIssues,
  ENVIRONMENT_SCHEMA,
  FIRST_REQUEST_SCHEMA,
  RUN_RESULT_SCHEMA,
  RUN_SETTINGS_SCHEMA,
  SUMMARY_ONLY_NOTE,
  WARMUP_SCHEMA,
} from './schema.ts';

export const LINK_FORMAT_VERSION = 2;
/** The fragment key that marks a result link. */
export const REPORT_KEY = 'report';
/** The longest payload read: far above any real link, well below what could hang the page. */
export const MAX_PAYLOAD_CHARS = 4_000_000;
/** Cap on the inflated JSON, so a small "zip bomb" link cannot exhaust memory. */
export const MAX_INFLATED_BYTES = 32 * 1024 * 1024;
/**
 * Compressed bytes inflated at a time. DEFLATE unpacks at most ~1,032-fold, so a slice yields at most
 * ~4 MB and a zip bomb is stopped within one slice of the cap, not after it has all been unpacked.
 */
const INFLATE_SLICE_BYTES = 4 * 1024;
/** Cap on token timestamps rebuilt from a summary link (each repetition's count is in the link). */
const MAX_REBUILT_TOKENS = 2_000_000;
const MAX_RUNS = 2_000;
/**
 * The size budget of a link with ten runs' summaries (three repetitions each), in characters of the
 * whole URL: short enough for a chat message (Slack and Teams take far more; 2,000 is the length
 * old browsers and many link shorteners accept).
 */
export const TEN_RUN_LINK_BUDGET_CHARS = 2_000;

/** What a result link carries. */
export interface SharedReport {
  runs: RunResult[];
  /** The cost page's scenario, opaque here: the cost feature validates its own schema. */
  costScenario?: unknown;
  /** Whether the runs carry per-token timings (false: summaries only). */
  perToken: boolean;
  /** The format version the link was made with (older ones are upgraded on open). */
  sourceVersion: number;
}

export type DecodeResult = { ok: true; report: SharedReport } | { ok: false; error: string };

// ------------------------------------------------------------------ compact (v2, d: 0) shapes

const FLAG_PARTIAL = 1;
const FLAG_HIDDEN = 2;

const int = z.number().int().min(0);
const COMPACT_REP = z.tuple([
  int.max(1_000),
  int.max(1_000_000),
  int.max(1e12),
  int.max(1e12),
  int.max(100_000),
  int.max(3),
]);

const COMPACT_RUN = z.object({
  i: RUN_RESULT_SCHEMA.shape.id,
  c: RUN_RESULT_SCHEMA.shape.createdAt,
  n: RUN_RESULT_SCHEMA.shape.name,
  t: RUN_RESULT_SCHEMA.shape.tags,
  s: z.tuple([
    RUN_SETTINGS_SCHEMA.shape.modelId,
    RUN_SETTINGS_SCHEMA.shape.sourceKind,
    RUN_SETTINGS_SCHEMA.shape.dtype,
    RUN_SETTINGS_SCHEMA.shape.device,
    RUN_SETTINGS_SCHEMA.shape.promptTokens,
    RUN_SETTINGS_SCHEMA.shape.genTokens,
    RUN_SETTINGS_SCHEMA.shape.reps,
  ]),
  e: int,
  l: z.tuple([z.number().finite().min(0), z.union([z.literal(0), z.literal(1)]), z.number().finite().min(0)]),
  w: RUN_RESULT_SCHEMA.shape.warmupMs,
  /** Optional: links made before the warm-up was recorded have neither. */
  wu: WARMUP_SCHEMA.nullable().optional(),
  fr: FIRST_REQUEST_SCHEMA.nullable().optional(),
  /** Optional: the cached prefix K of a prefix-cache run, and the memory measured (absent in older links). */
  k: RUN_SETTINGS_SCHEMA.shape.cachedPrefixTokens,
  m: RUN_RESULT_SCHEMA.shape.memory,
  /** Optional (schema 4): who measured it, the weight file's SHA-256, and the Hub host it loaded from. */
  p: RUN_RESULT_SCHEMA.shape.participant,
  x: RUN_RESULT_SCHEMA.shape.weightSha256,
  h: RUN_RESULT_SCHEMA.shape.hubHost,
  st: RUN_RESULT_SCHEMA.shape.status,
  no: RUN_RESULT_SCHEMA.shape.notes,
  r: z.array(COMPACT_REP).max(1_000),
});
type CompactRun = z.infer<typeof COMPACT_RUN>;

const ENVELOPE_V2 = z.discriminatedUnion('d', [
  z.object({
    v: z.literal(2),
    d: z.literal(0),
    envs: z.array(ENVIRONMENT_SCHEMA).max(MAX_RUNS),
    runs: z.array(COMPACT_RUN).max(MAX_RUNS),
    cost: z.unknown().optional(),
  }),
  z.object({
    v: z.literal(2),
    d: z.literal(1),
    runs: z.array(RUN_RESULT_SCHEMA).max(MAX_RUNS),
    cost: z.unknown().optional(),
  }),
]);

const ENVELOPE_V1 = z.array(RUN_RESULT_SCHEMA).max(MAX_RUNS);

// ------------------------------------------------------------------ encoding

const toUs = (valueMs: number): number => Math.max(0, Math.round(valueMs * 1000));

/** Summary links keep the words that name the device, not its adapter's feature and limit lists. */
function compactEnv(env: EnvironmentStamp): EnvironmentStamp {
  return env.adapter ? { ...env, adapter: { ...env.adapter, features: [], limits: {} } } : env;
}

function compactRun(run: RunResult, envIndex: number): CompactRun {
  const s = run.settings;
  return {
    i: run.id,
    c: run.createdAt,
    n: run.name,
    t: run.tags,
    s: [s.modelId, s.sourceKind, s.dtype, s.device, s.promptTokens, s.genTokens, s.reps],
    e: envIndex,
    l: [Math.round(run.load.ms * 1000) / 1000, run.load.fromCache ? 1 : 0, run.load.downloadedBytes],
    w: run.warmupMs === null ? null : Math.round(run.warmupMs * 1000) / 1000,
    wu: run.warmup,
    fr: run.firstRequest,
    ...(s.cachedPrefixTokens ? { k: s.cachedPrefixTokens } : {}),
    ...(run.memory ? { m: run.memory } : {}),
    ...(run.participant ? { p: run.participant } : {}),
    ...(run.weightSha256 ? { x: run.weightSha256 } : {}),
    ...(run.hubHost ? { h: run.hubHost } : {}),
    st: run.status,
    no: run.notes.filter((note) => note !== SUMMARY_ONLY_NOTE),
    r: run.repetitions.map((rep) => [
      rep.rep,
      rep.promptTokens,
      toUs(rep.tokenTimesMs[0] ?? rep.ttftMs),
      toUs(rep.tokenTimesMs[rep.tokenTimesMs.length - 1] ?? rep.e2eMs),
      rep.tokenTimesMs.length,
      (rep.partial ? FLAG_PARTIAL : 0) | (rep.hidden ? FLAG_HIDDEN : 0),
    ]),
  };
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Compresses any JSON value into the link alphabet. */
export function packJson(value: unknown): string {
  return toBase64Url(zlibSync(strToU8(JSON.stringify(value)), { level: 9 }));
}

/**
 * Encodes runs (and optionally a cost scenario) as a link payload, the part after `#report=`.
 * `perToken: true` carries every token timestamp and the generated text; otherwise each repetition
 * is summarised exactly for TTFT, E2E, TPOT and the rates (tokens are assumed evenly spaced).
 */
export function encodeReport(
  runs: readonly RunResult[],
  options: { costScenario?: unknown; perToken?: boolean } = {},
): string {
  const cost = options.costScenario === undefined ? {} : { cost: options.costScenario };
  if (options.perToken) return packJson({ v: LINK_FORMAT_VERSION, d: 1, runs, ...cost });
  const envs: EnvironmentStamp[] = [];
  const envKeys = new Map<string, number>();
  const compact = runs.map((run) => {
    const env = compactEnv(run.env);
    const key = JSON.stringify(env);
    let index = envKeys.get(key);
    if (index === undefined) {
      index = envs.length;
      envs.push(env);
      envKeys.set(key, index);
    }
    return compactRun(run, index);
  });
  return packJson({ v: LINK_FORMAT_VERSION, d: 0, envs, runs: compact, ...cost });
}

/** The full URL of a result link on the page at `base` (its origin and path; query and hash replaced). */
export function reportUrl(base: string, payload: string): string {
  const url = new URL(base);
  return `${url.origin}${url.pathname}?view=compare#${REPORT_KEY}=${payload}`;
}

// ------------------------------------------------------------------ decoding

class LinkError extends Error {}

const DAMAGED =
  'The link is damaged or cut short: its compressed data does not check out. Copy the whole link again.';

/** Adler-32 (RFC 1950) of `bytes` continued from `adler` (1 for none yet). */
function adler32(adler: number, bytes: Uint8Array): number {
  const MOD = 65_521;
  // zlib's NMAX: the most bytes that can be summed before b could pass 2^32 and lose precision in `|`.
  const NMAX = 5_552;
  let a = adler & 0xffff;
  let b = adler >>> 16;
  for (let start = 0; start < bytes.length; start += NMAX) {
    const end = Math.min(start + NMAX, bytes.length);
    for (let i = start; i < end; i++) {
      a += bytes[i] as number;
      b += a;
    }
    a %= MOD;
    b %= MOD;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * Inflates a zlib stream slice by slice, refusing it as soon as it passes MAX_INFLATED_BYTES, and
 * checks its Adler-32 trailer against what was inflated (RFC 1950: big-endian, after the DEFLATE data).
 */
function inflateCapped(bytes: Uint8Array): Uint8Array {
  const [cmf = 0, flg = 0] = bytes;
  // RFC 1950 header: method 8 (DEFLATE), window ≤ 32 KB, check bits, no preset dictionary.
  const headerOk = (cmf & 15) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0 && (flg & 32) === 0;
  if (bytes.length < 7 || !headerOk) throw new LinkError(DAMAGED);
  const body = bytes.subarray(2, bytes.length - 4);
  const trailer = bytes.subarray(bytes.length - 4);
  const chunks: Uint8Array[] = [];
  let total = 0;
  let checksum = 1;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > MAX_INFLATED_BYTES) {
      throw new LinkError(
        `The results in this link unpack to more than ${MAX_INFLATED_BYTES / 1024 / 1024} MB; the lab does not open links that large.`,
      );
    }
    checksum = adler32(checksum, chunk);
    chunks.push(chunk);
  });
  try {
    for (let at = 0; at < body.length; at += INFLATE_SLICE_BYTES) {
      const end = Math.min(at + INFLATE_SLICE_BYTES, body.length);
      inflater.push(body.subarray(at, end), end === body.length);
    }
  } catch (error) {
    if (error instanceof LinkError) throw error;
    throw new LinkError(DAMAGED);
  }
  const expected = new DataView(trailer.buffer, trailer.byteOffset, 4).getUint32(0);
  if (checksum !== expected) {
    throw new LinkError(
      'The link was changed or damaged after it was made: its checksum does not match its contents. Copy the whole link again from where it was shared.',
    );
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function expandRun(run: CompactRun, envs: readonly EnvironmentStamp[]): RunResult {
  const env = envs[run.e];
  if (!env) {
    throw new LinkError(
      `The link is damaged: run "${clipForMessage(run.n)}" refers to a device that is not in it.`,
    );
  }
  const [modelId, sourceKind, dtype, device, promptTokens, genTokens, reps] = run.s;
  const startMs = Date.parse(run.c);
  const repetitions: Repetition[] = run.r.map(([rep, repPrompt, ttftUs, e2eUs, tokens, flags]) => {
    const ttftMs = ttftUs / 1000;
    const e2eMs = Math.max(e2eUs, ttftUs) / 1000;
    const tokenTimesMs: number[] = [];
    for (let i = 0; i < tokens; i++) {
      tokenTimesMs.push(
        i === tokens - 1 && i > 0 ? e2eMs : ttftMs + ((e2eMs - ttftMs) * i) / Math.max(1, tokens - 1),
      );
    }
    return {
      rep,
      promptTokens: repPrompt,
      ttftMs: ttftMs as Ms,
      e2eMs: e2eMs as Ms,
      tokenTimesMs: tokenTimesMs as Ms[],
      startEpochMs: startMs,
      endEpochMs: startMs + e2eMs,
      text: '',
      partial: (flags & FLAG_PARTIAL) !== 0,
      hidden: (flags & FLAG_HIDDEN) !== 0,
    };
  });
  return {
    id: run.i,
    createdAt: run.c,
    name: run.n,
    tags: run.t,
    settings: {
      modelId,
      sourceKind,
      dtype,
      device,
      promptTokens,
      genTokens,
      reps,
      ...(run.k ? { cachedPrefixTokens: run.k } : {}),
    },
    env,
    load: { ms: run.l[0], fromCache: run.l[1] === 1, downloadedBytes: run.l[2] },
    warmupMs: run.w,
    warmup: run.wu ?? null,
    firstRequest: run.fr ? { ...run.fr, ttftMs: run.fr.ttftMs as Ms, e2eMs: run.fr.e2eMs as Ms } : null,
    repetitions,
    status: run.st,
    notes: [...run.no, SUMMARY_ONLY_NOTE],
    ...(run.m ? { memory: run.m } : {}),
    ...(run.p ? { participant: run.p } : {}),
    ...(run.x ? { weightSha256: run.x } : {}),
    ...(run.h ? { hubHost: run.h } : {}),
  };
}

/** Turns a parsed payload of any known version into the current shape. */
function upgrade(json: unknown): SharedReport {
  if (Array.isArray(json)) {
    const v1 = ENVELOPE_V1.safeParse(json);
    if (!v1.success)
      throw new LinkError(`The link's results do not check out (${describeIssues(v1.error)}).`);
    return { runs: v1.data as RunResult[], perToken: true, sourceVersion: 1 };
  }
  const version = typeof json === 'object' && json !== null && 'v' in json ? json.v : undefined;
  if (typeof version !== 'number')
    throw new LinkError('This is not a result link from the Inference Cost Lab.');
  if (version > LINK_FORMAT_VERSION) {
    throw new LinkError(
      `This link was made by a newer version of the lab (format v${version}); this page reads formats up to v${LINK_FORMAT_VERSION}. Reload to get the latest version.`,
    );
  }
  const parsed = ENVELOPE_V2.safeParse(json);
  if (!parsed.success)
    throw new LinkError(`The link's results do not check out (${describeIssues(parsed.error)}).`);
  const envelope = parsed.data;
  const cost = envelope.cost === undefined ? {} : { costScenario: envelope.cost };
  if (envelope.d === 1)
    return { runs: envelope.runs as RunResult[], perToken: true, sourceVersion: 2, ...cost };
  let tokens = 0;
  for (const run of envelope.runs) for (const rep of run.r) tokens += rep[4];
  if (tokens > MAX_REBUILT_TOKENS) {
    throw new LinkError(
      `The link claims ${tokens.toLocaleString('en')} generated tokens; the lab opens at most ${MAX_REBUILT_TOKENS.toLocaleString('en')}.`,
    );
  }
  const envs = envelope.envs as EnvironmentStamp[];
  return {
    runs: envelope.runs.map((run) => expandRun(run, envs)),
    perToken: false,
    sourceVersion: 2,
    ...cost,
  };
}

/**
 * Decodes a link payload (the text after `#report=`, or a whole URL containing it). Never throws:
 * every malformed, cut, edited, oversized or future-version input becomes `{ ok: false, error }`
 * with a sentence for the user.
 */
export function decodeReport(input: string): DecodeResult {
  try {
    const payload = extractPayload(input);
    if (payload === '')
      return { ok: false, error: 'The link has no results in it (nothing after #report=).' };
    if (payload.length > MAX_PAYLOAD_CHARS) {
      return {
        ok: false,
        error: `The link is too long (${payload.length.toLocaleString('en')} characters; the lab opens links up to ${MAX_PAYLOAD_CHARS.toLocaleString('en')}).`,
      };
    }
    if (!/^[A-Za-z0-9_-]+$/.test(payload)) {
      return {
        ok: false,
        error:
          'The link is damaged: it contains characters a result link never has (was it edited or wrapped?).',
      };
    }
    let packed: Uint8Array;
    try {
      packed = fromBase64Url(payload);
    } catch {
      return { ok: false, error: DAMAGED };
    }
    const bytes = inflateCapped(packed);
    let json: unknown;
    try {
      json = JSON.parse(strFromU8(bytes));
    } catch {
      return { ok: false, error: 'The link is damaged: its contents are not readable results.' };
    }
    return { ok: true, report: upgrade(json) };
  } catch (error) {
    if (error instanceof LinkError) return { ok: false, error: error.message };
    return { ok: false, error: 'The link could not be read.' };
  }
}

/** The payload of `#report=…` in a URL or hash; the input itself when it holds no `#report=`. */
export function extractPayload(input: string): string {
  const text = input.trim();
  const marker = `${REPORT_KEY}=`;
  const at = text.indexOf(`#${marker}`);
  if (at >= 0) return text.slice(at + marker.length + 1).split(/[&\s]/)[0] ?? '';
  if (text.startsWith(marker)) return text.slice(marker.length).split(/[&\s]/)[0] ?? '';
  return text;
}

/** Whether a location hash carries a result link. */
export const hasReport = (hash: string): boolean => hash.startsWith(`#${REPORT_KEY}=`);
