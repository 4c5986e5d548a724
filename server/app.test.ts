import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_SCHEMA_VERSION } from '../app/run/restore.ts';
import { syntheticRun } from '../app/run/synthetic.ts';
import { startTestRoom, type TestRoom } from './test-room.ts';

let room: TestRoom;
let dist = '';
const RESULT_BURST = 6;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'room-dist-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>lab</title>');
  room = await startTestRoom({
    limits: { results: { burst: RESULT_BURST, perSecond: 0.001 }, join: { burst: 60, perSecond: 0.001 } },
    distDir: dist,
    headers: { 'Content-Security-Policy': "default-src 'self'" },
  });
});
afterAll(async () => {
  await room?.close();
  rmSync(dist, { recursive: true, force: true });
});

const json = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;

async function join_(name: string): Promise<{ id: string; secret: string }> {
  const reply = await room.request('POST', '/api/join', { body: { code: room.code.toLowerCase(), name } });
  expect(reply.status, reply.text).toBe(201);
  const body = json(reply.text) as { participant: { id: string }; secret: string };
  return { id: body.participant.id, secret: body.secret };
}

const post = (secret: string, body: unknown) =>
  room.request('POST', '/api/results', { body, headers: { authorization: `Bearer ${secret}` } });

const storedIds = async () => (await room.store.results()).map((r) => r.runId);

describe('joining', () => {
  it('refuses a wrong room code and hostile or overlong names with a message, and joins nobody', async () => {
    const before = (await room.store.participants()).length;
    const cases: [unknown, number, RegExp][] = [
      [{ code: 'WRONG1', name: 'Ada' }, 403, /not this room's code/],
      [{ code: room.code, name: '<img src=x onerror=alert(1)>' }, 400, /< or >/],
      [{ code: room.code, name: 'x'.repeat(41) }, 400, /at most 40/],
      [{ code: room.code, name: '   ' }, 400, /Pick a display name/],
      [{ code: room.code, name: 'evil\u202Eeman' }, 400, /invisible or control/],
      [{ code: room.code }, 400, /display name/],
      [[1, 2], 400, /code/],
    ];
    for (const [body, status, message] of cases) {
      const reply = await room.request('POST', '/api/join', { body });
      expect(reply.status, JSON.stringify(body)).toBe(status);
      expect(json(reply.text).error).toMatch(message);
    }
    const notJson = await room.request('POST', '/api/join', {
      rawBody: '{"code":',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect((await room.store.participants()).length).toBe(before);
  });

  it('accepts a name of 40 characters (counting emoji as one), trimmed', async () => {
    const name = `  ${'é'.repeat(39)}🙂  `;
    const reply = await room.request('POST', '/api/join', { body: { code: room.code, name } });
    expect(reply.status).toBe(201);
    expect((json(reply.text).participant as { name: string }).name).toBe(`${'é'.repeat(39)}🙂`);
  });
});

describe('sending results', () => {
  it('stores a run once: a resend answers 200 with the same result, not a duplicate', async () => {
    const ada = await join_('Ada');
    const run = syntheticRun(1, { id: 'ada-run-1' });
    const first = await post(ada.secret, {
      schemaVersion: RUN_SCHEMA_VERSION,
      run,
      lessonId: 'quantization',
    });
    expect(first.status, first.text).toBe(201);
    const again = await post(ada.secret, {
      schemaVersion: RUN_SCHEMA_VERSION,
      run,
      lessonId: 'quantization',
    });
    expect(again.status).toBe(200);
    expect(json(again.text).stored).toBe(false);
    expect((await storedIds()).filter((id) => id === 'ada-run-1')).toHaveLength(1);
    const bob = await join_('Bob');
    const stolen = await post(bob.secret, { schemaVersion: RUN_SCHEMA_VERSION, run });
    expect(stolen.status).toBe(409);
    expect((await room.store.results()).find((r) => r.runId === 'ada-run-1')?.participantId).toBe(ada.id);
  });

  it('upgrades a bare version-1 run like history does', async () => {
    const cy = await join_('Cy');
    const { warmup: _w, firstRequest: _f, ...old } = syntheticRun(2, { id: 'cy-old' });
    const reply = await post(cy.secret, { run: old });
    expect(reply.status, reply.text).toBe(201);
  });

  it('refuses future-version, malformed and oversized runs with a message, and stores none', async () => {
    const dee = await join_('Dee');
    const before = await storedIds();
    const future = await post(dee.secret, { schemaVersion: 99, run: syntheticRun(3, { id: 'future' }) });
    expect(future.status).toBe(400);
    expect(json(future.text).error).toMatch(/newer version of the lab/);
    const broken = await post(dee.secret, {
      schemaVersion: RUN_SCHEMA_VERSION,
      run: { id: 'x', settings: 5 },
    });
    expect(broken.status).toBe(400);
    expect(json(broken.text).error).toMatch(/not accepted/);
    const badLesson = await post(dee.secret, { run: syntheticRun(4), lessonId: '<script>' });
    expect(badLesson.status).toBe(400);
    const huge = syntheticRun(5, { id: 'huge' });
    huge.notes = ['x'.repeat(3 * 1024 * 1024)];
    const oversized = await post(dee.secret, { schemaVersion: RUN_SCHEMA_VERSION, run: huge });
    expect(oversized.status).toBe(413);
    expect(json(oversized.text).error).toMatch(/at most/);
    const noPass = await room.request('POST', '/api/results', { body: { run: syntheticRun(6) } });
    expect(noPass.status).toBe(401);
    const wrongPass = await post('not-a-pass', { run: syntheticRun(7) });
    expect(wrongPass.status).toBe(401);
    expect(await storedIds()).toEqual(before);
  });

  it('rate-limits a participant with 429 and Retry-After', async () => {
    const eve = await join_('Eve');
    const statuses: number[] = [];
    for (let i = 0; i < RESULT_BURST + 2; i++) {
      const reply = await post(eve.secret, { run: syntheticRun(100 + i, { id: `eve-${i}` }) });
      statuses.push(reply.status);
      if (reply.status === 429) expect(Number(reply.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(RESULT_BURST);
    expect(statuses.slice(RESULT_BURST)).toEqual([429, 429]);
  });
});

describe('the instructor', () => {
  it('changes nothing without the token, and clears, sets the lesson and closes with it', async () => {
    const fay = await join_('Fay');
    await post(fay.secret, { run: syntheticRun(8, { id: 'fay-1' }) });
    const count = (await room.store.results()).length;
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${fay.secret}` },
    ]) {
      expect((await room.request('POST', '/api/instructor/clear', { headers })).status).toBe(401);
      expect((await room.request('GET', '/api/instructor/export.json', { headers })).status).toBe(401);
    }
    expect((await room.request('POST', `/api/instructor/clear?token=${room.code}`)).status).toBe(401);
    expect((await room.store.results()).length).toBe(count);

    const auth = { authorization: `Bearer ${room.instructorToken}` };
    const lesson = await room.request('POST', '/api/instructor/lesson', {
      body: { lessonId: 'batching' },
      headers: auth,
    });
    expect(lesson.status).toBe(200);
    expect(json((await room.request('GET', '/room.json')).text).lessonId).toBe('batching');

    const csv = await room.request('GET', `/api/instructor/export.csv?token=${room.instructorToken}`);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')[0]).toMatch(/^participant,lessonId,/);
    expect(csv.text).toContain('Fay,');
    const exported = json((await room.request('GET', '/api/instructor/export.json', { headers: auth })).text);
    expect((exported.results as unknown[]).length).toBe(count);

    expect(
      (await room.request('POST', '/api/instructor/close', { body: { closed: true }, headers: auth })).status,
    ).toBe(200);
    const late = await room.request('POST', '/api/join', { body: { code: room.code, name: 'Late' } });
    expect(late.status).toBe(423);
    expect((await post(fay.secret, { run: syntheticRun(9, { id: 'fay-2' }) })).status).toBe(423);
    await room.request('POST', '/api/instructor/close', { body: { closed: false }, headers: auth });

    expect((await room.request('POST', '/api/instructor/clear', { headers: auth })).status).toBe(200);
    expect(await room.store.results()).toEqual([]);
  });
});

describe('the board', () => {
  it('lists the room only with its code', async () => {
    expect((await room.request('GET', '/api/results?code=NOPE00')).status).toBe(403);
    expect((await room.request('GET', '/api/events')).status).toBe(403);
    const list = await room.request('GET', `/api/results?code=${room.code}`);
    expect(list.status).toBe(200);
    expect(Array.isArray(json(list.text).participants)).toBe(true);
  });

  it('streams a snapshot, then joins and results as they happen', async () => {
    const events: { event: string; data: Record<string, unknown> }[] = [];
    const request = httpsRequest(new URL(`/api/events?code=${room.code}`, room.url), {
      ca: room.ca,
      agent: false,
    });
    const opened = new Promise<void>((resolve, reject) => {
      request.on('response', (res) => {
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        let buffer = '';
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
            end = buffer.indexOf('\n\n');
          }
          if (events.length > 0) resolve();
        });
      });
      request.on('error', reject);
    });
    request.end();
    await opened;
    expect(events[0]?.event).toBe('snapshot');
    const gus = await join_('Gus & <Co>'.replace(/[<>]/g, ''));
    await post(gus.secret, { run: syntheticRun(10, { id: 'gus-1', modelId: 'tiny-random-llama' }) });
    await expect.poll(() => events.map((e) => e.event)).toEqual(['snapshot', 'join', 'result']);
    const result = events[2]?.data.result as Record<string, unknown>;
    expect(result.participant).toBe('Gus & Co');
    expect(result.modelId).toBe('tiny-random-llama');
    expect(result.decodeTokPerS).toBeGreaterThan(0);
    request.destroy();
  });
});

describe('the Hub mirror', () => {
  beforeAll(() => {
    const repo = join(room.modelsDir, 'onnx-community', 'tiny-model', 'onnx');
    mkdirSync(repo, { recursive: true });
    writeFileSync(
      join(room.modelsDir, 'onnx-community', 'tiny-model', 'config.json'),
      '{"model_type":"llama"}',
    );
    writeFileSync(join(repo, 'model_q4.onnx'), Buffer.alloc(1000, 7));
    writeFileSync(join(room.dir, 'secret.txt'), 'instructor secret');
    mkdirSync(join(room.modelsDir, 'evil', 'link'), { recursive: true });
    symlinkSync(join(room.dir, 'secret.txt'), join(room.modelsDir, 'evil', 'link', 'secret.txt'));
  });

  it('serves a model file in the Hub layout, to any origin', async () => {
    const reply = await room.request('GET', '/onnx-community/tiny-model/resolve/main/onnx/model_q4.onnx');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-length']).toBe('1000');
    expect(reply.headers['access-control-allow-origin']).toBe('*');
    expect(reply.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const config = await room.request('GET', '/onnx-community/tiny-model/resolve/main/config.json');
    expect(json(config.text).model_type).toBe('llama');
  });

  it("states each file's SHA-256 as the Hub does for LFS files, so the lab knows the model by its file", async () => {
    const reply = await room.request('GET', '/onnx-community/tiny-model/resolve/main/onnx/model_q4.onnx');
    const sha256 = createHash('sha256').update(Buffer.alloc(1000, 7)).digest('hex');
    expect(reply.headers['x-linked-etag']).toBe(`"${sha256}"`);
    expect(reply.headers['access-control-expose-headers']).toMatch(/X-Linked-Etag/i);
  });

  it('never serves anything outside the models folder', async () => {
    const hostile = [
      '/onnx-community/tiny-model/resolve/main/..%2F..%2F..%2Fsecret.txt',
      '/onnx-community/tiny-model/resolve/main/%2e%2e/%2e%2e/%2e%2e/secret.txt',
      '/..%2F..%2F/x/resolve/main/secret.txt',
      '/%2e%2e/%2e%2e/resolve/main/secret.txt',
      '/onnx-community/tiny-model/resolve/main/..%5C..%5C..%5Csecret.txt',
      '/onnx-community/tiny-model/resolve/main/config.json%00.onnx',
      '/onnx-community/tiny-model/resolve/main/.hidden',
      '/onnx-community/tiny-model/resolve/main/%E0%A4%A',
      '/evil/link/resolve/main/secret.txt',
      '/onnx-community/tiny-model/resolve/main/onnx',
    ];
    for (const path of hostile) {
      const reply = await room.request('GET', path);
      expect(reply.status, path).toBe(404);
      expect(reply.text).not.toContain('instructor secret');
    }
  });
});

describe('every response', () => {
  it('carries the isolation headers and the lab CSP, and the static lab serves only its folder', async () => {
    for (const path of ['/', '/room.json', '/api/nothing', '/onnx-community/x/resolve/main/none.json']) {
      const reply = await room.request('GET', path);
      expect(reply.headers['cross-origin-opener-policy'], path).toBe('same-origin');
      expect(reply.headers['cross-origin-embedder-policy'], path).toBe('require-corp');
      expect(reply.headers['content-security-policy'], path).toBe("default-src 'self'");
    }
    expect((await room.request('GET', '/')).text).toContain('<title>lab</title>');
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2Fpackage.json']) {
      const reply = await room.request('GET', path);
      expect(reply.text, path).not.toContain('inference-cost-lab');
    }
  });
});
