import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { runFromUi } from './helpers.ts';

/**
 * A workshop room end to end: the real room server (`npm run room`'s entry) over HTTPS on 127.0.0.1 with its
 * self-signed certificate and an embedded database in a temporary folder, serving this build. Three students join
 * from three browser contexts and run, then each runs the lesson the instructor starts; the board shows all three;
 * one model comes through the room's Hub mirror; the server restarts and nothing is lost.
 */
test.use({ ignoreHTTPSErrors: true });

/** The lesson the room runs: the shortest on WASM (`npm run bench:lessons`), three steps on the small model. */
const LESSON_ID = 'input-length';
const LESSON_TITLE = 'Trim the prompt';

interface Room {
  url: string;
  code: string;
  token: string;
  stop: () => Promise<void>;
}

const DIST = resolve(process.env.LAB_OUT_DIR ?? 'dist');

const freePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });

/** Starts `server/room.ts` on `port` with the room folder `dir`; resolves once it printed its address. */
function startRoom(dir: string, port: number): Promise<Room> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join('node_modules', 'tsx', 'dist', 'cli.mjs'),
      'server/room.ts',
      ...['--host', '127.0.0.1', '--port', String(port), '--dir', dir, '--dist', DIST, '--no-build'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the room did not start:\n${out}`)), 30_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const url = /room: listening (https:\/\/127\.0\.0\.1:\d+)\/\?room=([A-Z0-9]+)/.exec(out);
      const token = /Instructor token:\s+(\S+)/.exec(out);
      if (!url?.[1] || !url[2] || !token?.[1]) return;
      clearTimeout(timer);
      done({
        url: url[1],
        code: url[2],
        token: token[1],
        stop: () =>
          new Promise<void>((stopped) => {
            if (child.exitCode !== null || child.signalCode !== null) return stopped();
            child.once('exit', () => stopped());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => fail(new Error(`the room exited (${code}):\n${out}`)));
  });
}

async function join_(page: Page, room: Room, name: string, shot?: string) {
  // The address the room prints (and its QR code): the code rides in ?room=.
  await page.goto(`${room.url}/?room=${room.code}&view=measure&device=wasm&p=16&g=8&r=1`);
  const bar = page.getByTestId('room-bar');
  await expect(bar).toContainText('You are in a workshop room');
  await bar.getByLabel('Your name').fill(name);
  if (shot) await bar.screenshot({ path: shot });
  await bar.getByRole('button', { name: 'Join the room' }).click();
  await expect(page.getByTestId('room-joined')).toHaveText(`Joined as ${name}`);
}

async function studentPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('close', () => expect(errors, 'uncaught errors in a student page').toEqual([]));
  return page;
}

async function runAndSend(page: Page) {
  await runFromUi(page);
  await expect(page.getByTestId('run-status')).toHaveText('complete');
  await expect(page.getByTestId('room-send-status')).toHaveText('Sent to the room.');
}

test('three students join a room over HTTPS, run a lesson each, reach the board live, and a restart loses nothing', async ({
  page,
  browser,
}) => {
  // Three students measuring at once on this 2-core machine: a lesson each takes longer than alone.
  test.setTimeout(420_000);
  const dir = mkdtempSync(join(tmpdir(), 'room-e2e-'));
  // The room's Hub mirror: an embedded model's files under an organisation/name path.
  mkdirSync(join(dir, 'models', 'lab'), { recursive: true });
  cpSync(join('public', 'models', 'tiny-random-llama'), join(dir, 'models', 'lab', 'tiny-random-llama'), {
    recursive: true,
  });
  const port = await freePort();
  let room = await startRoom(dir, port);
  try {
    // Ada loads a Hub model: the lab opened from the room uses the room as its Hub host, no setting needed.
    await join_(page, room, 'Ada', test.info().outputPath('room-join-form.png'));
    await page.screenshot({ path: test.info().outputPath('room-joined.png') });
    const mirrored = page.waitForResponse(
      (r) => r.url() === `${room.url}/lab/tiny-random-llama/resolve/main/onnx/model_quantized.onnx`,
    );
    await page.getByPlaceholder('organisation/name').fill('lab/tiny-random-llama');
    await page.getByRole('button', { name: 'Add' }).click();
    await page.getByLabel('Dtype').selectOption('q8');
    await runAndSend(page);
    expect((await mirrored).status()).toBe(200);
    await page
      .getByTestId('result-card')
      .screenshot({ path: test.info().outputPath('room-result-card.png') });

    // Bo and Cy run the embedded tiny model at the same time, each from their own browser.
    const others = [await studentPage(browser), await studentPage(browser)];
    await Promise.all(others.map((p, i) => join_(p, room, ['Bo', 'Cy'][i] ?? '')));
    await Promise.all(others.map(runAndSend));

    // The room's own record, and each student's bar, live from the event stream.
    const snapshot = async () =>
      (await (await page.request.get(`${room.url}/api/results?code=${room.code}`)).json()) as {
        participants: { name: string }[];
        results: { participant: string; modelId: string }[];
      };
    const firstRuns = await snapshot();
    expect(firstRuns.results.map((r) => r.participant).sort()).toEqual(['Ada', 'Bo', 'Cy']);
    expect(firstRuns.results.find((r) => r.participant === 'Ada')?.modelId).toBe('lab/tiny-random-llama');
    await expect(page.getByTestId('room-bar')).toContainText('3 joined · 3 results · live');

    // The board (the projector view) shows all three.
    const board = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
    await board.goto(`${room.url}/?board&room=${room.code}`);
    for (const name of ['Ada', 'Bo', 'Cy']) await expect(board.locator('body')).toContainText(name);

    // The instructor starts a lesson for everyone: each student's Lessons tab opens it, each runs its experiment
    // on their own device, and the board counts them as finished, live.
    const started = await page.request.post(`${room.url}/api/instructor/lesson`, {
      headers: { authorization: `Bearer ${room.token}` },
      data: { lessonId: LESSON_ID },
    });
    expect(started.status()).toBe(200);
    const students = [page, ...others];
    for (const p of students)
      await expect(p.getByRole('heading', { name: LESSON_TITLE, level: 2 })).toBeVisible({ timeout: 15_000 });
    for (const p of students) await p.getByRole('button', { name: 'Run this experiment' }).click();
    for (const p of students)
      await expect(p.getByTestId('lesson-status')).toHaveText(/All 3 steps measured/, { timeout: 240_000 });
    await expect(board.getByTestId('board-joined')).toContainText('3 of 3 finished the lesson', {
      timeout: 30_000,
    });

    // Three plain runs and three steps of the lesson from each student.
    const before = await snapshot();
    expect(before.results).toHaveLength(3 + 3 * 3);
    await expect(page.getByTestId('room-bar')).toContainText('3 joined · 12 results · live');

    // The server restarts on the same folder: every seat and result is still there, and the pages reconnect.
    await room.stop();
    await expect(page.getByTestId('room-bar')).toContainText('reconnecting…');
    room = await startRoom(dir, port);
    expect(await snapshot()).toEqual(before);
    await expect(page.getByTestId('room-bar')).toContainText('3 joined · 12 results · live', {
      timeout: 45_000,
    });
    await board.reload();
    for (const name of ['Ada', 'Bo', 'Cy']) await expect(board.locator('body')).toContainText(name);
    // A reload keeps the seat.
    const bo = others[0] as Page;
    await bo.reload();
    await expect(bo.getByTestId('room-joined')).toHaveText('Joined as Bo');
    for (const p of [...others, board]) await p.context().close();
  } finally {
    await room.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without a room server the lab shows no room and asks nothing more than room.json', async ({ page }) => {
  const asked: string[] = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  const roomJson = page.waitForResponse((r) => r.url().endsWith('/room.json'));
  await page.goto('/?view=measure');
  await roomJson;
  await expect(page.getByRole('heading', { name: 'Run settings' })).toBeVisible();
  await expect(page.getByTestId('room-bar')).toHaveCount(0);
  expect(asked.filter((p) => p.startsWith('/api/'))).toEqual([]);
});
