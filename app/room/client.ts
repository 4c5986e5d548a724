/**
 * Talks to the room server (server/app.ts): join, send a run, read the room, listen to its event stream, and the
 * instructor's actions. Every answer is parsed (protocol.ts) before it is used; every refusal comes back as the
 * sentence the server wrote, so the student reads the room's own words.
 */
import { RUN_SCHEMA_VERSION } from '../run/restore.ts';
import type { RunResult } from '../run/run.ts';
import {
  type JoinReply,
  parseErrorReply,
  parseJoinReply,
  parseRoomEvent,
  parseSendReply,
  parseSnapshot,
  type RoomEvent,
  type RoomSnapshot,
  type SendReply,
} from './protocol.ts';

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * The outcome of one call. `retry`: whether trying the same call later may succeed (the network, a busy or
 * restarting server, a rate limit), as opposed to a refusal that would be repeated (a bad run, a closed room).
 */
export type RoomCall<T> =
  | { ok: true; status: number; value: T }
  | { ok: false; status: number | null; message: string; retry: boolean };

/** Statuses worth retrying: a timeout, a rate limit, and any server-side failure. */
const isRetryable = (status: number): boolean => status === 408 || status === 429 || status >= 500;

const defaultFetch: FetchLike = (url, init) => fetch(url, init);

/** One request to the room, answered as a `RoomCall`: the parsed body, or the server's own sentence. */
async function call<T>(
  fetchFn: FetchLike,
  url: string,
  init: RequestInit,
  parse: (value: unknown) => T | null,
): Promise<RoomCall<T>> {
  let response: Response;
  try {
    response = await fetchFn(url, { cache: 'no-store', ...init });
  } catch {
    return {
      ok: false,
      status: null,
      message: 'Could not reach the room server (is this laptop still on the room’s network?).',
      retry: true,
    };
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // An empty or non-JSON body: the status alone speaks.
  }
  if (!response.ok) {
    return {
      ok: false,
      status: response.status,
      message: parseErrorReply(body) ?? `The room server answered ${response.status}.`,
      retry: isRetryable(response.status),
    };
  }
  const value = parse(body);
  if (value === null)
    return {
      ok: false,
      status: response.status,
      message: 'The room server sent an answer this lab cannot read (is the lab up to date?).',
      retry: false,
    };
  return { ok: true, status: response.status, value };
}

const jsonInit = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Takes a seat in the room: `code` as on the room's address, `name` as the student typed it. */
export const joinRoom = (
  origin: string,
  code: string,
  name: string,
  fetchFn: FetchLike = defaultFetch,
): Promise<RoomCall<JoinReply>> =>
  call(fetchFn, `${origin}/api/join`, jsonInit({ code, name }), parseJoinReply);

/**
 * Sends one finished run from the seat `secret` holds, in the same versioned envelope as history and links (the
 * server upgrades older versions and refuses newer ones). Sending a run again is harmless: the room keeps one.
 */
export const sendRunTo = (
  origin: string,
  secret: string,
  run: RunResult,
  lessonId: string | null,
  fetchFn: FetchLike = defaultFetch,
): Promise<RoomCall<SendReply>> =>
  call(
    fetchFn,
    `${origin}/api/results`,
    jsonInit({ schemaVersion: RUN_SCHEMA_VERSION, run, lessonId }, { authorization: `Bearer ${secret}` }),
    parseSendReply,
  );

/** Everything the room holds now (who joined, every result, the lesson, whether it is closed). */
export const fetchSnapshot = (
  origin: string,
  code: string,
  fetchFn: FetchLike = defaultFetch,
): Promise<RoomCall<RoomSnapshot>> =>
  call(fetchFn, `${origin}/api/results?code=${encodeURIComponent(code)}`, { method: 'GET' }, parseSnapshot);

/** The instructor's actions; `token` is the instructor token the room printed at start. */
export const instructorActions = (origin: string, token: string, fetchFn: FetchLike = defaultFetch) => {
  const auth = { authorization: `Bearer ${token}` };
  return {
    /** Starts a lesson for everyone (null: none). */
    startLesson: (lessonId: string | null) =>
      call(fetchFn, `${origin}/api/instructor/lesson`, jsonInit({ lessonId }, auth), (v) =>
        v !== null && typeof v === 'object' ? { lessonId } : null,
      ),
    /** Removes every result (participants stay). */
    clear: () =>
      call(fetchFn, `${origin}/api/instructor/clear`, jsonInit({}, auth), (v) =>
        v !== null && typeof v === 'object' ? { cleared: true } : null,
      ),
    /** Closes the room to new joins and results, or opens it again. */
    setClosed: (closed: boolean) =>
      call(fetchFn, `${origin}/api/instructor/close`, jsonInit({ closed }, auth), (v) =>
        v !== null && typeof v === 'object' ? { closed } : null,
      ),
    /** The address of an export (a download link: the token rides in the query). */
    exportUrl: (format: 'json' | 'csv') =>
      `${origin}/api/instructor/export.${format}?token=${encodeURIComponent(token)}`,
  };
};

/** What the stream is doing: `live` once the snapshot arrived, `retrying` while it is down. */
export type StreamState = 'connecting' | 'live' | 'retrying';

export interface RoomStreamHandlers {
  onSnapshot: (snapshot: RoomSnapshot) => void;
  onEvent: (event: RoomEvent) => void;
  onState?: (state: StreamState) => void;
}

/** The part of `EventSource` this module uses (a fake in tests). */
export interface EventSourceLike {
  readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

const EVENT_TYPES: readonly RoomEvent['type'][] = ['join', 'result', 'lesson', 'closed', 'clear'];
/** EventSource.CLOSED: the browser gave up (an HTTP error, or a stream it could not read) and will not retry. */
const CLOSED = 2;

/** Delay before the `attempt`-th reconnection (0-based): 1 s, doubling, at most 30 s. */
export const reconnectDelayMs = (attempt: number): number => Math.min(30_000, 1000 * 2 ** attempt);

/**
 * Listens to the room's event stream (server-sent events). The first message of every connection is the whole
 * room (so a reconnection repairs anything missed); then one event per change. The browser reconnects by itself
 * after a dropped connection; when it gives up (the server answered an error while restarting), this opens a
 * new stream after a growing delay. Returns the function that stops listening.
 */
export function subscribeRoom(
  origin: string,
  code: string,
  handlers: RoomStreamHandlers,
  factory: EventSourceFactory = (url) => new EventSource(url),
): () => void {
  const url = `${origin}/api/events?code=${encodeURIComponent(code)}`;
  let source: EventSourceLike | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;
  let stopped = false;
  const read = (event: MessageEvent): unknown => {
    try {
      return JSON.parse(String(event.data));
    } catch {
      return null;
    }
  };
  const open = () => {
    handlers.onState?.(attempt === 0 ? 'connecting' : 'retrying');
    const current = factory(url);
    source = current;
    current.addEventListener('snapshot', (event) => {
      const snapshot = parseSnapshot(read(event));
      if (!snapshot) return;
      attempt = 0;
      handlers.onState?.('live');
      handlers.onSnapshot(snapshot);
    });
    for (const type of EVENT_TYPES) {
      current.addEventListener(type, (event) => {
        const parsed = parseRoomEvent(read(event));
        if (parsed) handlers.onEvent(parsed);
      });
    }
    current.onerror = () => {
      if (stopped) return;
      handlers.onState?.('retrying');
      if (current.readyState !== CLOSED) return; // the browser reconnects by itself
      current.close();
      timer = setTimeout(open, reconnectDelayMs(attempt));
      attempt += 1;
    };
  };
  open();
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    source?.close();
  };
}
