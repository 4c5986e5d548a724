import { describe, expect, it, vi } from 'vitest';
import { RUN_SCHEMA_VERSION } from '../run/restore.ts';
import { syntheticRun } from '../run/synthetic.ts';
import { type EventSourceLike, type FetchLike, joinRoom, sendRunTo, subscribeRoom } from './client.ts';

const reply = (status: number, body: unknown) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('calls to the room', () => {
  it('shows a refusal in the server’s own words, and says which failures are worth retrying', async () => {
    const answers: [Response | Error, string, boolean][] = [
      [reply(423, { error: 'The room is closed.' }), 'The room is closed.', false],
      [reply(400, { error: 'The run was not accepted: bad' }), 'The run was not accepted: bad', false],
      [reply(429, { error: 'Too many results at once; try again in 3 s.' }), 'Too many results', true],
      [reply(502, '<html>bad gateway</html>'), 'The room server answered 502.', true],
      [new TypeError('Failed to fetch'), 'Could not reach the room server', true],
    ];
    for (const [answer, message, retry] of answers) {
      const fetchFn: FetchLike = () =>
        answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      const result = await sendRunTo('https://room', 'secret', syntheticRun(1), null, fetchFn);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.message).toContain(message);
      expect(result.retry).toBe(retry);
    }
  });

  it('sends the run in the versioned envelope with the seat’s pass', async () => {
    const fetchFn = vi.fn<FetchLike>(() => Promise.resolve(reply(201, { stored: true, result: {} })));
    const run = syntheticRun(2);
    const result = await sendRunTo('https://room', 'pass', run, 'quantization', fetchFn);
    const [url, init] = fetchFn.mock.calls[0] ?? [];
    expect(url).toBe('https://room/api/results');
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer pass');
    expect(JSON.parse(String(init?.body))).toEqual({
      schemaVersion: RUN_SCHEMA_VERSION,
      run: JSON.parse(JSON.stringify(run)),
      lessonId: 'quantization',
    });
    // A 2xx whose body is not a room's answer is not taken for a success.
    expect(result.ok).toBe(false);
  });

  it('reads a join reply', async () => {
    const participant = { id: 'p1', name: 'Ada', joinedAt: '2026-12-02T10:00:00Z' };
    const result = await joinRoom('https://room', 'ABC234', 'Ada', () =>
      Promise.resolve(reply(201, { participant, secret: 's' })),
    );
    expect(result).toEqual({ ok: true, status: 201, value: { participant, secret: 's' } });
  });
});

class FakeSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  readonly listeners = new Map<string, ((event: MessageEvent) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  emit(type: string, data: unknown) {
    for (const l of this.listeners.get(type) ?? []) l(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
  fail(readyState: number) {
    this.readyState = readyState;
    this.onerror?.(new Event('error'));
  }
  close() {
    this.closed = true;
  }
}

describe('the room’s event stream', () => {
  it('reads the snapshot then events, skips malformed ones, and reopens a stream the browser gave up on', () => {
    vi.useFakeTimers();
    try {
      const sources: FakeSource[] = [];
      const snapshots: unknown[] = [];
      const events: unknown[] = [];
      const states: string[] = [];
      const stop = subscribeRoom(
        'https://room',
        'AB C',
        {
          onSnapshot: (s) => snapshots.push(s),
          onEvent: (e) => events.push(e),
          onState: (s) => states.push(s),
        },
        (url) => {
          const source = new FakeSource(url);
          sources.push(source);
          return source;
        },
      );
      const first = sources[0];
      expect(first?.url).toBe('https://room/api/events?code=AB%20C');
      first?.emit('snapshot', { lessonId: null, closed: false, participants: [], results: [] });
      first?.emit('lesson', { type: 'lesson', lessonId: 'batching' });
      first?.emit('lesson', { type: 'lesson' });
      expect(events).toEqual([{ type: 'lesson', lessonId: 'batching' }]);
      // A dropped connection the browser retries by itself: no new stream.
      first?.fail(0);
      vi.advanceTimersByTime(60_000);
      expect(sources).toHaveLength(1);
      // The server answered an error (restarting): the browser gives up, this reopens after a delay.
      first?.fail(2);
      expect(first?.closed).toBe(true);
      vi.advanceTimersByTime(999);
      expect(sources).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(sources).toHaveLength(2);
      sources[1]?.emit('snapshot', { lessonId: 'batching', closed: true, participants: [], results: [] });
      expect(snapshots).toHaveLength(2);
      expect(states).toEqual(['connecting', 'live', 'retrying', 'retrying', 'retrying', 'live']);
      stop();
      expect(sources[1]?.closed).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
