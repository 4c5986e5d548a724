/**
 * The room's wire format, shared by the lab (the student's browser, the class board) and the room server: what
 * `/room.json` says, who joined, one flat row per result, the snapshot and the live events. Every answer from the
 * network goes through a parser here before anything reads it (`unknown` at the edge, a typed value or null past it).
 */
import { z } from 'zod';

/** What `/room.json` holds: the marker that says the page was served by a room (`npm run room`). */
export const ROOM_JSON_KIND = 'inference-cost-lab-room';
export const ROOM_JSON_VERSION = 1;

/** The query parameter of the room's address (the QR code) that carries the room code: `/?room=CODE`. */
export const ROOM_CODE_PARAM = 'room';

export interface RoomInfo {
  /** The lesson the instructor started for everyone, if any. */
  lessonId: string | null;
  /** The room takes no more joins or results. */
  closed: boolean;
}

export interface Participant {
  id: string;
  /** As the server checked it (checkDisplayName): plain text, never markup. */
  name: string;
  /** ISO 8601. */
  joinedAt: string;
}

/**
 * What the class board and the exports show of a stored result: one flat row per run, with the figures a
 * leaderboard ranks by (medians over the run's valid repetitions).
 */
export interface ResultRow {
  runId: string;
  participantId: string;
  participant: string;
  lessonId: string | null;
  receivedAt: string;
  modelId: string;
  dtype: string;
  /** The model's identity (what it is, not where it came from): runs with the same key share a leaderboard. */
  modelKey: string;
  /** The backend the run actually used (webgpu or wasm). */
  device: string;
  /** The GPU's vendor as the browser reported it; null on WASM or when unknown. */
  gpuVendor: string | null;
  status: string;
  promptTokens: number;
  genTokens: number;
  /** Sequences decoded together (batching); 1 for a plain run. */
  parallelSequences: number;
  /** Prompt tokens served from the prefix cache; 0 for a plain run. */
  cachedPrefixTokens: number;
  /** Medians over valid repetitions; null when no repetition is valid. */
  ttftMs: number | null;
  tpotMs: number | null;
  prefillTokPerS: number | null;
  decodeTokPerS: number | null;
}

/** Everything the room holds, as `/api/results` answers and as the first event of `/api/events`. */
export interface RoomSnapshot extends RoomInfo {
  participants: Participant[];
  results: ResultRow[];
}

/** What the event stream says after the snapshot (the SSE event name is `type`). */
export type RoomEvent =
  | { type: 'join'; participant: Participant }
  | { type: 'result'; result: ResultRow }
  | { type: 'lesson'; lessonId: string | null }
  | { type: 'closed'; closed: boolean }
  | { type: 'clear' };

/** `POST /api/join`'s answer: the seat and the pass (a bearer secret) that sends results from it. */
export interface JoinReply {
  participant: Participant;
  secret: string;
}

/** `POST /api/results`'s answer: `stored` is false for a resend (the room already had this run). */
export interface SendReply {
  stored: boolean;
  result: ResultRow;
}

const PARTICIPANT_SCHEMA = z.object({ id: z.string(), name: z.string(), joinedAt: z.string() });

const figure = z.number().nullable();
const count = z.number().int().nonnegative();

const RESULT_ROW_SCHEMA = z.object({
  runId: z.string(),
  participantId: z.string(),
  participant: z.string(),
  lessonId: z.string().nullable(),
  receivedAt: z.string(),
  modelId: z.string(),
  dtype: z.string(),
  modelKey: z.string(),
  device: z.string(),
  gpuVendor: z.string().nullable(),
  status: z.string(),
  promptTokens: count,
  genTokens: count,
  parallelSequences: count.min(1),
  cachedPrefixTokens: count,
  ttftMs: figure,
  tpotMs: figure,
  prefillTokPerS: figure,
  decodeTokPerS: figure,
});

const ROOM_INFO_SCHEMA = z.object({
  kind: z.literal(ROOM_JSON_KIND),
  version: z.literal(ROOM_JSON_VERSION),
  lessonId: z.string().nullable(),
  closed: z.boolean(),
});

const SNAPSHOT_SCHEMA = z.object({
  lessonId: z.string().nullable(),
  closed: z.boolean(),
  participants: z.array(PARTICIPANT_SCHEMA),
  results: z.array(RESULT_ROW_SCHEMA),
});

const EVENT_SCHEMA = z.discriminatedUnion('type', [
  z.object({ type: z.literal('join'), participant: PARTICIPANT_SCHEMA }),
  z.object({ type: z.literal('result'), result: RESULT_ROW_SCHEMA }),
  z.object({ type: z.literal('lesson'), lessonId: z.string().nullable() }),
  z.object({ type: z.literal('closed'), closed: z.boolean() }),
  z.object({ type: z.literal('clear') }),
]);

const JOIN_REPLY_SCHEMA = z.object({ participant: PARTICIPANT_SCHEMA, secret: z.string().min(1) });
const SEND_REPLY_SCHEMA = z.object({ stored: z.boolean(), result: RESULT_ROW_SCHEMA });
const ERROR_REPLY_SCHEMA = z.object({ error: z.string() });

/** A parser that answers null for anything that does not fit (the caller decides what that means). */
const parserOf =
  <T>(schema: z.ZodType<T>) =>
  (value: unknown): T | null => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : null;
  };

/** Reads what `/room.json` holds; null for anything that is not a room's answer (a static host, an SPA fallback). */
export function parseRoomInfo(value: unknown): RoomInfo | null {
  const parsed = ROOM_INFO_SCHEMA.safeParse(value);
  return parsed.success ? { lessonId: parsed.data.lessonId, closed: parsed.data.closed } : null;
}

/** The room as `/api/results` or the stream's first event gives it; null when malformed. */
export const parseSnapshot: (value: unknown) => RoomSnapshot | null = parserOf(SNAPSHOT_SCHEMA);

/** One event of `/api/events` after the snapshot; null when malformed or of a kind this lab does not know. */
export const parseRoomEvent: (value: unknown) => RoomEvent | null = parserOf(EVENT_SCHEMA);

/** One board row; null when malformed. */
export const parseResultRow: (value: unknown) => ResultRow | null = parserOf(RESULT_ROW_SCHEMA);

/** One participant; null when malformed. */
export const parseParticipant: (value: unknown) => Participant | null = parserOf(PARTICIPANT_SCHEMA);

/** `POST /api/join`'s 201 body; null when malformed. */
export const parseJoinReply: (value: unknown) => JoinReply | null = parserOf(JOIN_REPLY_SCHEMA);

/** `POST /api/results`'s 200/201 body; null when malformed. */
export const parseSendReply: (value: unknown) => SendReply | null = parserOf(SEND_REPLY_SCHEMA);

/** The sentence a refusal carries (`{ error }`); null when the body is not one. */
export function parseErrorReply(value: unknown): string | null {
  const parsed = ERROR_REPLY_SCHEMA.safeParse(value);
  return parsed.success ? parsed.data.error : null;
}

/**
 * A room code as typed or scanned: trimmed and upper-cased (the server compares it so). Null when empty or
 * when it holds anything but letters and digits.
 */
export function normalizeRoomCode(text: string | null | undefined): string | null {
  const code = (text ?? '').trim().toUpperCase();
  return /^[A-Z0-9]{4,16}$/.test(code) ? code : null;
}
