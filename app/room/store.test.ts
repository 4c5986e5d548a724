import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestRoom, type TestRoom } from '../../server/test-room.ts';
import { participantName } from '../run/participant.ts';
import type { RunResult } from '../run/run.ts';
import { syntheticRun } from '../run/synthetic.ts';
import { type EventSourceLike, type FetchLike, instructorActions } from './client.ts';
import type { ResultRow } from './protocol.ts';
import {
  applyRoomEvent,
  joinRoom,
  leaveRoom,
  offerRun,
  type RoomState,
  resendRun,
  resetRoom,
  setRoomTransport,
  setSendThisRun,
  startRoom,
  useRoom,
} from './store.ts';

/** localStorage for Node: what survives a "reload" (resetRoom + startRoom). */
const saved = new Map<string, string>();
vi.stubGlobal('localStorage', {
  getItem: (k: string) => saved.get(k) ?? null,
  setItem: (k: string, v: string) => void saved.set(k, v),
  removeItem: (k: string) => void saved.delete(k),
});

let room: TestRoom;
/** The real room over HTTPS, as the browser's fetch would reach it; `down` makes it unreachable. */
let down = false;
const roomFetch: FetchLike = async (url, init = {}) => {
  if (down) throw new TypeError('Failed to fetch');
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, key) => {
    headers[key] = value;
  });
  const reply = await room.request(init.method ?? 'GET', new URL(url).pathname + new URL(url).search, {
    ...(init.body === undefined ? {} : { rawBody: String(init.body) }),
    headers,
  });
  return new Response(reply.text, { status: reply.status, headers: { 'content-type': 'application/json' } });
};
/** No stream in Node: the store's live updates are tested through applyRoomEvent. */
const silentSource = (): EventSourceLike => ({
  readyState: 0,
  onopen: null,
  onerror: null,
  addEventListener: () => {},
  close: () => {},
});

beforeAll(async () => {
  room = await startTestRoom();
  setRoomTransport({ fetch: roomFetch, eventSource: silentSource });
});
afterAll(async () => {
  resetRoom();
  await room?.close();
});

const INFO = { lessonId: null, closed: false };
const reload = () => {
  resetRoom();
  startRoom(INFO, room.url, `?room=${room.code.toLowerCase()}`);
};
const finished = (seed: number): RunResult => ({ ...syntheticRun(seed), status: 'complete' });
const statusOf = (run: RunResult) => useRoom.getState().sends[run.id];
const storedIds = async () => (await room.store.results()).map((r) => r.runId);
/** Waits until the store is done with `run` (each send is a promise chain on real HTTPS). */
const settled = (run: RunResult) =>
  vi.waitFor(() => expect(statusOf(run)?.state).toMatch(/^(sent|failed|waiting|not-sent)$/));

beforeEach(() => {
  down = false;
  saved.clear();
  reload();
});

describe('a student in a room', () => {
  it('joins with a name, keeps the seat across a reload, and sends a finished run exactly once', async () => {
    expect(await joinRoom('  Ada  ')).toBeNull();
    expect(useRoom.getState().me?.participant.name).toBe('Ada');
    expect(participantName()).toBe('Ada');
    reload();
    expect(useRoom.getState().me?.participant.name).toBe('Ada');
    const run = finished(11);
    offerRun(run);
    await settled(run);
    expect(statusOf(run)).toEqual({ state: 'sent', again: false });
    expect(useRoom.getState().results.map((r: ResultRow) => r.participant)).toEqual(['Ada']);
    await useRoom.getState().sendRun(run, null);
    expect(statusOf(run)).toEqual({ state: 'sent', again: true });
    expect((await storedIds()).filter((id) => id === run.id)).toHaveLength(1);
  });

  it('shows the server’s refusal in its own words', async () => {
    expect(await joinRoom('<b>x</b>')).toBe('A display name cannot contain < or >.');
    expect(useRoom.getState().joinError).toBe('A display name cannot contain < or >.');
    expect(await joinRoom('Ada', 'WRONG9')).toBe("That is not this room's code.");
    expect(useRoom.getState().me).toBeNull();
    await joinRoom('Bo');
    const admin = instructorActions(room.url, room.instructorToken, roomFetch);
    expect((await admin.setClosed(true)).ok).toBe(true);
    const run = finished(12);
    await useRoom.getState().sendRun(run, 'quantization');
    expect(statusOf(run)).toEqual({
      state: 'failed',
      message: 'The room is closed: it takes no more results.',
      retrying: false,
    });
    await admin.setClosed(false);
  });

  it('keeps a lesson run’s lesson when it is sent again after a refusal, or unticked and ticked after a reload', async () => {
    await joinRoom('Flo');
    const admin = instructorActions(room.url, room.instructorToken, roomFetch);
    await admin.setClosed(true);
    const refused = finished(18);
    await useRoom.getState().sendRun(refused, 'batching');
    expect(statusOf(refused)).toMatchObject({ state: 'failed', retrying: false });
    await admin.setClosed(false);
    // "Send again" on the run's card knows the run, not the lesson it was measured for.
    await resendRun(refused);
    expect(statusOf(refused)).toEqual({ state: 'sent', again: false });
    leaveRoom();
    const unticked = finished(19);
    await useRoom.getState().sendRun(unticked, 'caching');
    expect(statusOf(unticked)).toMatchObject({ state: 'waiting' });
    reload();
    setSendThisRun(unticked, false);
    await joinRoom('Flo');
    setSendThisRun(unticked, true);
    await vi.waitFor(() => expect(statusOf(unticked)?.state).toBe('sent'));
    const lessonOf = new Map((await room.store.results()).map((r) => [r.runId, r.lessonId]));
    expect(lessonOf.get(refused.id)).toBe('batching');
    expect(lessonOf.get(unticked.id)).toBe('caching');
  });

  it('keeps a run the room could not take, through a reload, until it is sent', async () => {
    await joinRoom('Cy');
    down = true;
    const run = finished(13);
    await useRoom.getState().sendRun(run, null);
    expect(statusOf(run)).toMatchObject({ state: 'failed', retrying: true });
    expect(await storedIds()).not.toContain(run.id);
    down = false;
    reload();
    await vi.waitFor(() => expect(statusOf(run)?.state).toBe('sent'));
    expect(statusOf(run)).toEqual({ state: 'sent', again: false });
    expect(await storedIds()).toContain(run.id);
  });

  it('holds runs until the student joins, and sends nothing the student unticked', async () => {
    const kept = finished(14);
    const unticked = finished(15);
    offerRun(kept);
    await settled(kept);
    expect(statusOf(kept)).toMatchObject({ state: 'waiting' });
    setSendThisRun({ ...unticked, status: 'running' }, false);
    offerRun(unticked);
    expect(statusOf(unticked)).toEqual({ state: 'not-sent' });
    await joinRoom('Di');
    await settled(kept);
    expect(statusOf(kept)).toEqual({ state: 'sent', again: false });
    expect(await storedIds()).not.toContain(unticked.id);
    // Ticking it again sends it after all.
    setSendThisRun(unticked, true);
    await vi.waitFor(() => expect(statusOf(unticked)?.state).toBe('sent'));
    expect(await storedIds()).toContain(unticked.id);
    leaveRoom();
    expect(useRoom.getState().me).toBeNull();
  });

  it('does nothing at all without a room', async () => {
    resetRoom();
    const fetchSpy = vi.fn(roomFetch);
    setRoomTransport({ fetch: fetchSpy });
    await useRoom.getState().sendRun(finished(16), null);
    offerRun(finished(17));
    expect(await joinRoom('Ed')).toBeNull();
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(useRoom.getState().sends).toEqual({});
    setRoomTransport({ fetch: roomFetch });
  });
});

describe('the room’s live changes', () => {
  const row = (runId: string) => ({ runId }) as ResultRow;
  it('adds results once, follows the lesson and the closed flag, and empties on clear', () => {
    let state: Pick<RoomState, 'info' | 'participants' | 'results'> = {
      info: INFO,
      participants: [],
      results: [row('a')],
    };
    state = { ...state, ...applyRoomEvent(state, { type: 'result', result: row('b') }) };
    state = { ...state, ...applyRoomEvent(state, { type: 'result', result: row('b') }) };
    expect(state.results.map((r) => r.runId)).toEqual(['a', 'b']);
    state = { ...state, ...applyRoomEvent(state, { type: 'lesson', lessonId: 'batching' }) };
    state = { ...state, ...applyRoomEvent(state, { type: 'closed', closed: true }) };
    expect(state.info).toEqual({ lessonId: 'batching', closed: true });
    expect(applyRoomEvent(state, { type: 'clear' })).toEqual({ results: [] });
  });
});
