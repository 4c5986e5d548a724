/**
 * The room's HTTP surface (Hono): the lab itself, the Hub mirror, and the room API (join, send a result, the
 * board's event stream, the instructor's actions and exports). Transport (HTTPS, the certificate, the port) is
 * room.ts's business; this module is a plain fetch handler, so the tests drive it over real HTTPS on loopback.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import {
  ROOM_JSON_KIND,
  ROOM_JSON_VERSION,
  type RoomEvent,
  type RoomSnapshot,
} from '../app/room/protocol.ts';
import { tryRestoreRun } from '../app/run/restore.ts';
import { namesOf, resultRow, resultsCsv } from './board.ts';
import { fileSha256 } from './file-hash.ts';
import { createRateLimiter, type RateLimit } from './rate-limit.ts';
import { type RoomStore, sameSecret } from './store.ts';
import { checkDisplayName, hubFileSegments, isLessonId } from './validate.ts';

/** What the board hears, as server-sent events (the wire types are the lab's: app/room/protocol.ts). */
export type { RoomEvent } from '../app/room/protocol.ts';

export interface RoomLimits {
  /** Largest request body, in bytes. */
  bodyBytes: number;
  /** Joins per client address. */
  join: RateLimit;
  /** Results per participant. */
  results: RateLimit;
}

export const DEFAULT_LIMITS: RoomLimits = {
  bodyBytes: 2 * 1024 * 1024,
  join: { burst: 120, perSecond: 1 },
  results: { burst: 30, perSecond: 0.5 },
};

export interface RoomAppOptions {
  store: RoomStore;
  /** The built lab (dist/); null serves no lab (API tests). */
  distDir: string | null;
  /** The Hub mirror's folder: `<modelsDir>/<org>/<name>/<file>`. */
  modelsDir: string;
  /** Headers for every response besides the isolation headers (e.g. the lab's Content-Security-Policy). */
  headers?: Readonly<Record<string, string>>;
  limits?: Partial<RoomLimits>;
}

/** Cross-origin isolation (WASM threads, fine timers) must come from the server: no service worker on a self-signed origin. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** The JSON error every refusal answers with: `{ error: "a sentence" }`. */
const refuse = (c: Context, status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 423 | 429, error: string) =>
  c.json({ error }, status);

const bearer = (c: Context): string | null => {
  const header = c.req.header('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? null;
};

async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json'))
    return { ok: false, error: 'Send JSON (Content-Type: application/json).' };
  try {
    return { ok: true, value: JSON.parse(await c.req.text()) };
  } catch {
    return { ok: false, error: 'The body is not valid JSON.' };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Builds the room's app and the function that broadcasts to every open board. */
export function createRoomApp(options: RoomAppOptions) {
  const { store, distDir, modelsDir } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const joinLimiter = createRateLimiter(limits.join);
  const resultLimiter = createRateLimiter(limits.results);
  const listeners = new Set<(event: RoomEvent) => void>();
  const broadcast = (event: RoomEvent) => {
    for (const listener of listeners) listener(event);
  };
  const app = new Hono();

  app.use('*', async (c, next) => {
    await next();
    for (const [key, value] of Object.entries({ ...options.headers, ...ISOLATION_HEADERS })) {
      if (!c.res.headers.has(key)) c.res.headers.set(key, value);
    }
  });

  app.onError((error, c) => {
    console.error('room: request failed:', error);
    return c.json({ error: 'The room server failed on this request; try again.' }, 500);
  });

  const codeOk = async (c: Context): Promise<boolean> => {
    const given = (c.req.query('code') ?? c.req.header('x-room-code') ?? '').trim().toUpperCase();
    return given.length > 0 && sameSecret(given, (await store.state()).code);
  };
  const isInstructor = async (c: Context): Promise<boolean> => {
    const token = bearer(c) ?? c.req.query('token') ?? '';
    return token.length > 0 && sameSecret(token, (await store.state()).instructorToken);
  };

  /** What the lab reads at start to know it was opened from a room (served as a file: no inline script, CSP). */
  app.get('/room.json', async (c) => {
    const state = await store.state();
    c.header('Cache-Control', 'no-store');
    return c.json({
      kind: ROOM_JSON_KIND,
      version: ROOM_JSON_VERSION,
      lessonId: state.lessonId,
      closed: state.closed,
    });
  });

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: limits.bodyBytes,
      onError: (c) =>
        refuse(c, 413, `A request to the room can be at most ${Math.round(limits.bodyBytes / 1024)} KiB.`),
    }),
  );
  app.use('/api/*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    await next();
  });

  app.post('/api/join', async (c) => {
    const address = getConnInfo(c).remote.address ?? 'unknown';
    const wait = joinLimiter.take(address);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return refuse(c, 429, `Too many joins from this address; try again in ${wait} s.`);
    }
    const body = await readJson(c);
    if (!body.ok) return refuse(c, 400, body.error);
    if (!isObject(body.value)) return refuse(c, 400, 'Send { "code": "…", "name": "…" }.');
    const state = await store.state();
    const code = typeof body.value.code === 'string' ? body.value.code.trim().toUpperCase() : '';
    if (!code || !sameSecret(code, state.code)) return refuse(c, 403, "That is not this room's code.");
    if (state.closed) return refuse(c, 423, 'The room is closed.');
    const name = checkDisplayName(body.value.name);
    if (!name.ok) return refuse(c, 400, name.message);
    const secret = crypto.randomUUID() + crypto.randomUUID();
    const participant = await store.join(name.name, secret);
    broadcast({ type: 'join', participant });
    return c.json({ participant, secret }, 201);
  });

  app.post('/api/results', async (c) => {
    const secret = bearer(c);
    const participant = secret ? await store.participantBySecret(secret) : null;
    if (!participant) return refuse(c, 401, 'Join the room first: this browser has no valid room pass.');
    const wait = resultLimiter.take(participant.id);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return refuse(c, 429, `Too many results at once; try again in ${wait} s.`);
    }
    const state = await store.state();
    if (state.closed) return refuse(c, 423, 'The room is closed: it takes no more results.');
    const body = await readJson(c);
    if (!body.ok) return refuse(c, 400, body.error);
    if (!isObject(body.value) || !('run' in body.value))
      return refuse(c, 400, 'Send { "schemaVersion": n, "run": { … }, "lessonId": "…" }.');
    const { run, schemaVersion, lessonId } = body.value;
    if (lessonId !== undefined && lessonId !== null && !isLessonId(lessonId))
      return refuse(c, 400, 'lessonId must be a lesson id (lowercase words joined by dashes).');
    // The same path as history and links: known older versions are upgraded, newer ones refused with the reason.
    const restored = tryRestoreRun(schemaVersion === undefined ? run : { schemaVersion, run });
    if (!restored.ok) return refuse(c, 400, `The run was not accepted: ${restored.error}`);
    const outcome = await store.addResult(
      participant.id,
      restored.run,
      (lessonId as string | undefined) ?? null,
    );
    if (outcome.kind === 'taken')
      return refuse(c, 409, 'Another participant already sent a run with this id.');
    const row = resultRow(outcome.result, new Map([[participant.id, participant.name]]));
    if (outcome.kind === 'stored') broadcast({ type: 'result', result: row });
    return c.json({ stored: outcome.kind === 'stored', result: row }, outcome.kind === 'stored' ? 201 : 200);
  });

  const snapshot = async (): Promise<RoomSnapshot> => {
    const [state, participants, results] = await Promise.all([
      store.state(),
      store.participants(),
      store.results(),
    ]);
    const names = namesOf(participants);
    return {
      lessonId: state.lessonId,
      closed: state.closed,
      participants,
      results: results.map((result) => resultRow(result, names)),
    };
  };

  app.get('/api/results', async (c) => {
    if (!(await codeOk(c))) return refuse(c, 403, "That is not this room's code.");
    return c.json(await snapshot());
  });

  app.get('/api/events', async (c) => {
    if (!(await codeOk(c))) return refuse(c, 403, "That is not this room's code.");
    return streamSSE(c, async (stream) => {
      const queue: RoomEvent[] = [];
      let wake: (() => void) | null = null;
      const listener = (event: RoomEvent) => {
        queue.push(event);
        wake?.();
      };
      listeners.add(listener);
      stream.onAbort(() => {
        listeners.delete(listener);
        wake?.();
      });
      await stream.writeSSE({ event: 'snapshot', data: JSON.stringify(await snapshot()) });
      while (!stream.aborted) {
        const event = queue.shift();
        if (event) {
          await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
          continue;
        }
        // Wait for an event, or 20 s for a comment line that keeps proxies and the browser from timing out.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 20_000);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
        if (queue.length === 0 && !stream.aborted) await stream.write(': keep-alive\n\n');
      }
      listeners.delete(listener);
    });
  });

  const instructor = new Hono();
  instructor.use('*', async (c, next) => {
    if (!(await isInstructor(c)))
      return refuse(c, 401, 'Only the instructor can do this (send the instructor token).');
    await next();
    return undefined;
  });
  instructor.post('/lesson', async (c) => {
    const body = await readJson(c);
    if (!body.ok) return refuse(c, 400, body.error);
    const lessonId = isObject(body.value) ? body.value.lessonId : undefined;
    if (lessonId !== null && !isLessonId(lessonId))
      return refuse(c, 400, 'Send { "lessonId": "a-lesson-id" } or null.');
    await store.setLesson(lessonId);
    broadcast({ type: 'lesson', lessonId });
    return c.json({ lessonId });
  });
  instructor.post('/clear', async (c) => {
    await store.clearResults();
    broadcast({ type: 'clear' });
    return c.json({ cleared: true });
  });
  instructor.post('/close', async (c) => {
    const body = await readJson(c);
    if (!body.ok) return refuse(c, 400, body.error);
    const closed = isObject(body.value) ? body.value.closed : undefined;
    if (typeof closed !== 'boolean') return refuse(c, 400, 'Send { "closed": true } or { "closed": false }.');
    await store.setClosed(closed);
    broadcast({ type: 'closed', closed });
    return c.json({ closed });
  });
  instructor.get('/export.json', async (c) => {
    const [participants, results] = await Promise.all([store.participants(), store.results()]);
    const names = namesOf(participants);
    c.header('Content-Disposition', 'attachment; filename="room-results.json"');
    return c.json({
      exportedAt: new Date().toISOString(),
      participants,
      results: results.map((result) => ({ ...result, participant: names.get(result.participantId) ?? null })),
    });
  });
  instructor.get('/export.csv', async (c) => {
    const { results } = await snapshot();
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="room-results.csv"');
    return c.body(resultsCsv(results));
  });
  app.route('/api/instructor', instructor);

  app.all('/api/*', (c) => refuse(c, 404, 'No such room API.'));

  // The Hub mirror: /<org>/<name>/resolve/main/<file>, from the models folder. Open to any origin, like the Hub.
  app.on(['GET', 'HEAD'], '/:org/:name/resolve/main/*', async (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    const raw = new URL(c.req.url).pathname.split('/');
    let parts: string[];
    try {
      parts = raw.map((part) => decodeURIComponent(part));
    } catch {
      return refuse(c, 404, 'Entry not found');
    }
    // ['', org, name, 'resolve', 'main', ...file]
    const segments = hubFileSegments(parts[1] ?? '', parts[2] ?? '', parts.slice(5).join('/'));
    const path = segments ? await mirrorPath(modelsDir, segments) : null;
    if (!path) return refuse(c, 404, 'Entry not found');
    const { size } = await stat(path);
    // The file's SHA-256, as the Hub states it for LFS files: the lab records it to know the model by its file.
    const sha256 = await fileSha256(path);
    c.header('X-Linked-Etag', `"${sha256}"`);
    c.header('ETag', `"${sha256}"`);
    c.header('Access-Control-Expose-Headers', 'X-Linked-Etag, ETag, Content-Length');
    c.header('Content-Length', String(size));
    c.header('Content-Type', path.endsWith('.json') ? 'application/json' : 'application/octet-stream');
    if (c.req.method === 'HEAD') return c.body(null, 200);
    return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream, 200);
  });

  if (distDir) {
    app.use('/assets/*', async (c, next) => {
      await next();
      if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    });
    app.use('*', serveStatic({ root: relative(process.cwd(), distDir) || '.' }));
  }
  app.notFound((c) => refuse(c, 404, 'Not found'));

  return { app, broadcast };
}

/** The file a validated Hub path names, or null when it is missing or (through a link) outside the folder. */
async function mirrorPath(modelsDir: string, segments: readonly string[]): Promise<string | null> {
  try {
    const root = await realpath(modelsDir);
    const path = await realpath(join(root, ...segments));
    const inside = relative(root, path);
    if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..') return null;
    return (await stat(path)).isFile() ? path : null;
  } catch {
    return null;
  }
}
