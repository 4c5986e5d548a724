/**
 * The workshop room, as the lab sees it (zustand): whether the page was opened from a room, this browser's seat
 * (kept in localStorage so a reload keeps it), the room's results live from its event stream, and what became of
 * each run sent to it. A run waiting to be sent is kept in localStorage too (the outbox) and retried until the room
 * takes it: a dropped network or a restarting server loses nothing. Without a room nothing here does anything.
 */
import { create } from 'zustand';
import { setParticipant } from '../run/participant.ts';
import type { RunResult } from '../run/run.ts';
import {
  type EventSourceFactory,
  type FetchLike,
  joinRoom as joinCall,
  reconnectDelayMs,
  type StreamState,
  sendRunTo,
  subscribeRoom,
} from './client.ts';
import {
  normalizeRoomCode,
  type Participant,
  type ResultRow,
  ROOM_CODE_PARAM,
  type RoomEvent,
  type RoomInfo,
  type RoomSnapshot,
} from './protocol.ts';

/** This browser's seat in the room: who it is on the board, and the pass that sends results from it. */
export interface Seat {
  participant: Participant;
  secret: string;
}

/** What became of one run offered to the room. */
export type SendStatus =
  | { state: 'sending' }
  /** `again`: the room already had it (a resend is not a duplicate). */
  | { state: 'sent'; again: boolean }
  /** `retrying`: the lab tries again by itself (network, restart, rate limit); else the room refused it. */
  | { state: 'failed'; message: string; retrying: boolean }
  /** Kept in the outbox until this browser joins. */
  | { state: 'waiting'; message: string }
  /** The student unticked "Send this run to the room". */
  | { state: 'not-sent' };

export interface RoomState {
  /** Null: the page was not opened from a room (everything else here stays empty). */
  info: RoomInfo | null;
  /** The room's origin (the page's own); '' without a room. */
  origin: string;
  /** The room code, from the address (`?room=CODE`) or the saved seat; null until known. */
  code: string | null;
  me: Seat | null;
  joining: boolean;
  /** Why the last join failed, in the server's words; null when it did not. */
  joinError: string | null;
  participants: Participant[];
  /** Every result in the room, live from the event stream while joined (or watched, on the board). */
  results: ResultRow[];
  /** The event stream: off until joined or watched. */
  stream: 'off' | StreamState;
  /** Per run id. */
  sends: Record<string, SendStatus>;
  /** Runs the student chose not to send (per run id). */
  optedOut: Record<string, true>;
  /**
   * The lesson each run was offered for (per run id), so that a run refused or unticked and then sent again
   * still counts for its lesson on the board.
   */
  lessonIds: Record<string, string>;
  /** Sends one run to the room, tagged with a lesson (null: a plain run). Does nothing without a room. */
  sendRun: (run: RunResult, lessonId: string | null) => Promise<void>;
}

const SEAT_KEY = 'lab.room.seat';
const OUTBOX_KEY = 'lab.room.outbox';

interface OutboxEntry {
  origin: string;
  lessonId: string | null;
  run: RunResult;
}

const transport: { fetch: FetchLike; eventSource: EventSourceFactory | undefined } = {
  fetch: (url, init) => fetch(url, init),
  eventSource: undefined,
};

/** Replaces the network (tests): `fetch` for calls, `eventSource` for the stream. */
export function setRoomTransport(next: Partial<typeof transport>): void {
  Object.assign(transport, next);
}

const storage = (): Storage | null => {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
};

function readJson(key: string): unknown {
  try {
    const text = storage()?.getItem(key);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function writeJson(key: string, value: unknown): void {
  try {
    if (value === null) storage()?.removeItem(key);
    else storage()?.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or a full storage: the seat or the outbox lasts for this page only.
  }
}

/** A saved seat, if it belongs to this room (same origin, and the same code when the address names one). */
function savedSeat(origin: string, code: string | null): { code: string; seat: Seat } | null {
  const saved = readJson(SEAT_KEY);
  if (typeof saved !== 'object' || saved === null) return null;
  const { origin: o, code: c, participant, secret } = saved as Record<string, unknown>;
  if (o !== origin || typeof c !== 'string' || (code !== null && c !== code)) return null;
  if (typeof secret !== 'string' || typeof participant !== 'object' || participant === null) return null;
  const p = participant as Record<string, unknown>;
  if (typeof p.id !== 'string' || typeof p.name !== 'string' || typeof p.joinedAt !== 'string') return null;
  return { code: c, seat: { participant: { id: p.id, name: p.name, joinedAt: p.joinedAt }, secret } };
}

/** The outbox, in memory and mirrored to localStorage (read once per page; private mode keeps the memory). */
let outbox: OutboxEntry[] | null = null;

function readOutbox(): OutboxEntry[] {
  if (outbox === null) {
    const saved = readJson(OUTBOX_KEY);
    outbox = Array.isArray(saved)
      ? saved.filter(
          (e): e is OutboxEntry =>
            typeof e === 'object' &&
            e !== null &&
            typeof e.origin === 'string' &&
            typeof e.run?.id === 'string',
        )
      : [];
  }
  return outbox;
}

function writeOutbox(entries: OutboxEntry[]) {
  outbox = entries;
  writeJson(OUTBOX_KEY, entries.length ? entries : null);
}

const INITIAL = {
  info: null,
  origin: '',
  code: null,
  me: null,
  joining: false,
  joinError: null,
  participants: [],
  results: [],
  stream: 'off',
  sends: {},
  optedOut: {},
  lessonIds: {},
} satisfies Omit<RoomState, 'sendRun'>;

export const useRoom = create<RoomState>()(() => ({
  ...INITIAL,
  sendRun: (run, lessonId) => sendRun(run, lessonId),
}));

const setSend = (runId: string, status: SendStatus) =>
  useRoom.setState((s) => ({ sends: { ...s.sends, [runId]: status } }));

/** Adds or replaces rows by run id, keeping the room's order. */
function withRows(rows: readonly ResultRow[], added: readonly ResultRow[]): ResultRow[] {
  const next = [...rows];
  for (const row of added) {
    const at = next.findIndex((r) => r.runId === row.runId);
    if (at >= 0) next[at] = row;
    else next.push(row);
  }
  return next;
}

// ------------------------------------------------------------------ the event stream

let unsubscribe: (() => void) | null = null;

function applySnapshot(snapshot: RoomSnapshot) {
  useRoom.setState((s) => ({
    info: { lessonId: snapshot.lessonId, closed: snapshot.closed },
    participants: snapshot.participants,
    results: snapshot.results,
    // The seat's name as the room stored it (normalised by the server).
    me: s.me && {
      ...s.me,
      participant: snapshot.participants.find((p) => p.id === s.me?.participant.id) ?? s.me.participant,
    },
  }));
  // The room is back (or was never gone): whatever waits in the outbox can go now.
  void flushOutbox();
}

/** Applies one live change from the room to the state. */
export function applyRoomEvent(
  state: Pick<RoomState, 'info' | 'participants' | 'results'>,
  event: RoomEvent,
) {
  const info = state.info ?? { lessonId: null, closed: false };
  switch (event.type) {
    case 'join':
      return {
        participants: state.participants.some((p) => p.id === event.participant.id)
          ? state.participants
          : [...state.participants, event.participant],
      };
    case 'result':
      return { results: withRows(state.results, [event.result]) };
    case 'lesson':
      return { info: { ...info, lessonId: event.lessonId } };
    case 'closed':
      return { info: { ...info, closed: event.closed } };
    case 'clear':
      return { results: [] };
  }
}

/** Listens to the room's event stream with `code` (the board calls it; joining calls it). Idempotent. */
export function watchRoom(code: string): void {
  const { origin, info } = useRoom.getState();
  if (!info || unsubscribe) return;
  unsubscribe = subscribeRoom(
    origin,
    code,
    {
      onSnapshot: applySnapshot,
      onEvent: (event) => useRoom.setState((s) => applyRoomEvent(s, event)),
      onState: (stream) => useRoom.setState({ stream }),
    },
    transport.eventSource,
  );
}

function stopWatching() {
  unsubscribe?.();
  unsubscribe = null;
  useRoom.setState({ stream: 'off' });
}

// ------------------------------------------------------------------ sending

let outboxTimer: ReturnType<typeof setTimeout> | null = null;
let retryAttempt = 0;
let flushing: Promise<void> | null = null;
let flushAgain = false;

function scheduleRetry() {
  if (outboxTimer !== null) return;
  outboxTimer = setTimeout(() => {
    outboxTimer = null;
    void flushOutbox();
  }, reconnectDelayMs(retryAttempt));
  retryAttempt += 1;
}

/** Sends one outbox entry: done (taken, or refused for good), retry later, or no seat to send from. */
async function deliver(entry: OutboxEntry): Promise<'done' | 'retry' | 'no-seat'> {
  const { me, origin } = useRoom.getState();
  if (!me) {
    setSend(entry.run.id, { state: 'waiting', message: 'Join the room (above) to send this run.' });
    return 'no-seat';
  }
  setSend(entry.run.id, { state: 'sending' });
  const reply = await sendRunTo(origin, me.secret, entry.run, entry.lessonId, transport.fetch);
  if (reply.ok) {
    setSend(entry.run.id, { state: 'sent', again: !reply.value.stored });
    useRoom.setState((s) => ({ results: withRows(s.results, [reply.value.result]) }));
    return 'done';
  }
  if (reply.status === 401) {
    // The room no longer knows this seat (its results were reset): join again; the run waits.
    forgetSeat();
    useRoom.setState({ joinError: reply.message });
    setSend(entry.run.id, { state: 'waiting', message: `${reply.message} The run waits in this browser.` });
    return 'no-seat';
  }
  setSend(entry.run.id, { state: 'failed', message: reply.message, retrying: reply.retry });
  return reply.retry ? 'retry' : 'done';
}

/** Sends what waits in the outbox for this room, one at a time, oldest first; retries later what could not go. */
function flushOutbox(): Promise<void> {
  if (flushing) {
    // A run offered while a flush is under way: that flush goes round once more.
    flushAgain = true;
    return flushing;
  }
  flushing = (async () => {
    try {
      do {
        flushAgain = false;
        await flushOnce();
      } while (flushAgain);
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

async function flushOnce(): Promise<void> {
  const tried = new Set<string>();
  for (;;) {
    const { origin, optedOut } = useRoom.getState();
    // Read afresh each time: a run offered while another is on its way joins this flush.
    const entry = readOutbox().find((e) => e.origin === origin && !tried.has(e.run.id));
    if (!entry) break;
    tried.add(entry.run.id);
    if (optedOut[entry.run.id]) {
      removeFromOutbox(entry.run.id);
      continue;
    }
    const outcome = await deliver(entry);
    if (outcome === 'done') removeFromOutbox(entry.run.id);
    if (outcome === 'no-seat') {
      for (const waiting of readOutbox())
        if (waiting.origin === origin && !useRoom.getState().sends[waiting.run.id])
          setSend(waiting.run.id, { state: 'waiting', message: 'Join the room (above) to send this run.' });
      return;
    }
    if (outcome === 'retry') {
      scheduleRetry();
      return;
    }
  }
  retryAttempt = 0;
}

function removeFromOutbox(runId: string) {
  writeOutbox(readOutbox().filter((e) => e.run.id !== runId));
}

/** Records the lesson a run is offered for (`!lessonId`: a plain run, or an outbox entry saved without one). */
const withLesson = (lessonIds: Record<string, string>, runId: string, lessonId: string | null) =>
  !lessonId || lessonIds[runId] === lessonId ? lessonIds : { ...lessonIds, [runId]: lessonId };

/** The lesson a run was offered for, if any: a run sent again goes with it. */
const lessonOf = (run: RunResult): string | null => useRoom.getState().lessonIds[run.id] ?? null;

/**
 * Sends a run to the room (the lessons call it with their lesson id; a finished Measure run goes through
 * `offerRun`). The run first goes to the outbox, so it survives a failed send and a reload. No room: nothing.
 */
export async function sendRun(run: RunResult, lessonId: string | null): Promise<void> {
  const { info, origin } = useRoom.getState();
  if (!info || run.status === 'running') return;
  const entry: OutboxEntry = { origin, lessonId, run };
  writeOutbox([...readOutbox().filter((e) => e.run.id !== run.id), entry]);
  useRoom.setState((s) => {
    const { [run.id]: _, ...optedOut } = s.optedOut;
    return { optedOut, lessonIds: withLesson(s.lessonIds, run.id, lessonId) };
  });
  await flushOutbox();
}

/** Tries again a run the room refused (e.g. once the instructor reopened the room), for the same lesson. */
export function resendRun(run: RunResult): Promise<void> {
  return sendRun(run, lessonOf(run));
}

/**
 * A run that just finished on Measure: it goes to the room unless the student unticked "Send this run to the
 * room". Offering the same run again changes nothing.
 */
export function offerRun(run: RunResult): void {
  const { info, sends, optedOut } = useRoom.getState();
  if (!info || run.status === 'running' || sends[run.id]) return;
  if (optedOut[run.id]) {
    setSend(run.id, { state: 'not-sent' });
    return;
  }
  void sendRun(run, null);
}

/**
 * The per-run "Send this run to the room" box. Unticking a running run keeps it from being sent when it ends;
 * ticking a finished run that was not sent sends it now. A sent run cannot be taken back.
 */
export function setSendThisRun(run: RunResult, send: boolean): void {
  const status = useRoom.getState().sends[run.id];
  if (status?.state === 'sent' || status?.state === 'sending') return;
  if (!send) {
    removeFromOutbox(run.id);
    useRoom.setState((s) => ({
      optedOut: { ...s.optedOut, [run.id]: true },
      sends: run.status === 'running' ? s.sends : { ...s.sends, [run.id]: { state: 'not-sent' } },
    }));
    return;
  }
  useRoom.setState((s) => {
    const { [run.id]: _, ...optedOut } = s.optedOut;
    const { [run.id]: __, ...sends } = s.sends;
    return { optedOut, sends };
  });
  if (run.status !== 'running') void sendRun(run, lessonOf(run));
}

// ------------------------------------------------------------------ joining

function forgetSeat() {
  writeJson(SEAT_KEY, null);
  stopWatching();
  useRoom.setState({ me: null });
}

/**
 * Takes a seat: the name as the student typed it, the code from the address (or typed). Returns the server's
 * sentence when it refused (also kept in `joinError`), null when joined.
 */
export async function joinRoom(name: string, codeText?: string): Promise<string | null> {
  const { info, origin, code: known } = useRoom.getState();
  if (!info) return null;
  const code = normalizeRoomCode(codeText ?? known);
  if (!code) {
    const message = 'Type the room code: the letters after ?room= in the address the instructor shows.';
    useRoom.setState({ joinError: message });
    return message;
  }
  useRoom.setState({ joining: true, joinError: null });
  const reply = await joinCall(origin, code, name, transport.fetch);
  if (!reply.ok) {
    useRoom.setState({ joining: false, joinError: reply.message });
    return reply.message;
  }
  const seat: Seat = { participant: reply.value.participant, secret: reply.value.secret };
  writeJson(SEAT_KEY, { origin, code, ...seat });
  useRoom.setState({ joining: false, code, me: seat });
  // The runs made from now on carry the same name (history, links, the class view).
  setParticipant(seat.participant.name);
  watchRoom(code);
  await flushOutbox();
  return null;
}

/** Leaves the seat in this browser (the room keeps what was sent); the join form shows again. */
export function leaveRoom(): void {
  forgetSeat();
  useRoom.setState({ participants: [], results: [], joinError: null });
}

/**
 * Called once at start when `/room.json` said the page was served by a room: reads the code from the address
 * (`?room=CODE`), takes back a saved seat, and sends whatever waits in the outbox.
 */
export function startRoom(info: RoomInfo, origin: string, search: string): void {
  const fromAddress = normalizeRoomCode(new URLSearchParams(search).get(ROOM_CODE_PARAM));
  const saved = savedSeat(origin, fromAddress);
  useRoom.setState({ info, origin, code: fromAddress ?? saved?.code ?? null, me: saved?.seat ?? null });
  const waiting = readOutbox().filter((e) => e.origin === origin);
  for (const entry of waiting) {
    setSend(entry.run.id, { state: 'waiting', message: 'Waiting to be sent to the room.' });
    useRoom.setState((s) => ({ lessonIds: withLesson(s.lessonIds, entry.run.id, entry.lessonId) }));
  }
  if (saved) watchRoom(saved.code);
  void flushOutbox();
}

/** Back to no room (tests). */
export function resetRoom(): void {
  stopWatching();
  if (outboxTimer !== null) clearTimeout(outboxTimer);
  outboxTimer = null;
  retryAttempt = 0;
  outbox = null;
  useRoom.setState({ ...INITIAL });
}
