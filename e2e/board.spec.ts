import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LESSONS } from '../app/lessons/lessons.ts';
import type { RunResult } from '../app/run/run.ts';
import { syntheticRun } from '../app/run/synthetic.ts';
import { type RoomServer, startRoomServer } from './fixtures/room-server.ts';
import { expect, test } from './fixtures.ts';
import { expectAccessible } from './helpers.ts';

// The room's certificate is self-signed, as on the day; the board is a projector at 1280×720.
test.use({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 720 } });

let server: RoomServer;
test.beforeAll(async () => {
  server = await startRoomServer();
});
test.afterAll(async () => {
  await server?.close();
});

/** The room's full export (/api/instructor/export.json), as far as this spec reads it. */
const ROOM_EXPORT = z.object({
  participants: z.array(z.object({ name: z.string() })),
  results: z.array(z.object({ participant: z.string().nullable(), run: z.object({ id: z.string() }) })),
});

/** Rows of RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      rows.push([...row, field.replace(/\r$/, '')]);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** A name with the characters markup is made of (the room refuses < and >): it must show as typed. */
const ANA = `Ana "O'Neil" & co`;
const MEDIUM_Q4 = { modelId: 'medium-random-llama', dtype: 'q4', promptTokens: 64, genTokens: 16 } as const;

test('the class board shows the room live, follows the instructor, and survives a server restart', async ({
  page,
}, testInfo) => {
  const lesson = LESSONS[0];
  if (!lesson) throw new Error('no lessons');
  // Every run sent to the room, as "participant|run id": what the instructor's exports must hold.
  const seats = new Map<string, string>();
  const sent: string[] = [];
  const join = async (name: string) => {
    const seat = await server.join(name);
    seats.set(seat.secret, name);
    return seat;
  };
  const send = (secret: string, run: RunResult, lessonId?: string) => {
    sent.push(`${seats.get(secret)}|${run.id}`);
    return server.send(secret, run, lessonId);
  };
  const ana = await join(ANA);
  const bo = await join('Bo');
  await send(ana.secret, syntheticRun(101, { ...MEDIUM_Q4, decodeTokPerS: 24 }));

  await page.goto(server.boardUrl);
  await expect(page).toHaveTitle(/^Class board · /);
  await expect(page.getByTestId('board-stream')).toHaveText(/Live/);
  // No tabs on the projector, and no instructor actions without the token.
  await expect(page.getByRole('navigation', { name: 'Lab views' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Start lesson for everyone' })).toHaveCount(0);
  await expect(page.getByText(server.joinUrl)).toBeVisible();
  await expect(page.getByRole('img', { name: /QR code of the join address/ })).toBeVisible();
  const joined = page.getByTestId('board-joined');
  await expect(joined.getByRole('heading')).toHaveText('Joined: 2');
  await expect(joined.getByText(ANA, { exact: true })).toBeVisible();
  const leaders = page.getByTestId('board-leaderboard');
  await expect(leaders.getByRole('row').nth(1)).toContainText(`1${ANA}`);

  // Live, without a reload: a faster run takes first place, a new student appears, the conclusion follows.
  await send(bo.secret, syntheticRun(102, { ...MEDIUM_Q4, decodeTokPerS: 48, device: 'webgpu' }));
  await expect(leaders.getByRole('row').nth(1)).toContainText(/^1Bo[\d.]+WebGPU$/);
  await expect(leaders.getByRole('row').nth(2)).toContainText(`2${ANA}`);
  await expect(page.getByTestId('board-conclusion')).toContainText(
    /On the median laptop in this room \(of 2\), medium-random-llama q4 generates at [\d.]+ tok\/s: \$[\d.]+ per 1M output tokens at \$0\.006\/hour\./,
  );
  await expect(page.getByTestId('board-conclusion')).toContainText('30 W while generating at $0.20/kWh');
  const cy = await join('Cy');
  await expect(joined.getByRole('heading')).toHaveText('Joined: 3');

  // An instructor board with a wrong token shows the server's refusal, and nothing changes.
  const teacher = await page.context().newPage();
  await teacher.goto(`${server.boardUrl}&token=not-the-token`);
  await teacher.getByRole('button', { name: 'Start lesson for everyone' }).click();
  await expect(teacher.getByRole('alert')).toHaveText(/Only the instructor can do this/);
  await expect(page.getByRole('heading', { name: 'No lesson running' })).toBeVisible();

  // The instructor starts a lesson: it reaches the projector's board live.
  await teacher.goto(server.instructorBoardUrl);
  await teacher.getByRole('combobox', { name: 'Lesson' }).selectOption(lesson.id);
  await teacher.getByRole('button', { name: 'Start lesson for everyone' }).click();
  await expect(teacher.getByRole('status').filter({ hasText: 'Lesson started' })).toBeVisible();
  await expect(page.getByRole('heading', { name: `Lesson: ${lesson.title}` })).toBeVisible();
  await expect(joined).toContainText('0 of 3 finished the lesson');

  // Ana runs every step of the lesson: she has finished, and her points are on the lesson's chart.
  const settingsOf = (i: number) => {
    const step = lesson.steps[i];
    if (!step) throw new Error(`lesson ${lesson.id} has no step ${i}`);
    const { modelId, dtype, promptTokens, genTokens, reps } = step;
    return { modelId, dtype, promptTokens, genTokens, reps };
  };
  for (const i of lesson.steps.keys())
    await send(ana.secret, syntheticRun(200 + i, { ...settingsOf(i), decodeTokPerS: 30 + i }), lesson.id);
  await send(cy.secret, syntheticRun(210, { ...settingsOf(0), decodeTokPerS: 60 }), lesson.id);
  await expect(joined).toContainText('1 of 3 finished the lesson');
  await expect(joined.getByRole('listitem').filter({ hasText: ANA })).toContainText('done');
  await expect(joined.getByRole('listitem').filter({ hasText: 'Cy' })).toContainText(
    `1/${lesson.steps.length}`,
  );
  await expect(page.getByTestId('lesson-chart')).toContainText('class (2 students)');

  // A fuller room for the screenshot: more devices, another model.
  for (const [i, [name, speed, device]] of (
    [
      ['Dee', 31, 'webgpu'],
      ['Eli', 12, 'wasm'],
      ['Fay', 19, 'wasm'],
      ['Gus', 55, 'webgpu'],
    ] as const
  ).entries()) {
    const seat = await join(name);
    await send(seat.secret, syntheticRun(300 + i, { ...MEDIUM_Q4, decodeTokPerS: speed, device }));
    await send(
      seat.secret,
      syntheticRun(310 + i, {
        ...MEDIUM_Q4,
        modelId: 'small-random-llama',
        decodeTokPerS: speed * 4,
        device,
      }),
    );
  }
  await expect(joined.getByRole('heading')).toHaveText('Joined: 7');
  await expect(page.getByTestId('board-spread')).toContainText('all devices');
  await expectAccessible(page, 'The class board');
  await expectAccessible(teacher, "The instructor's board");
  const shots = process.env.LAB_SHOTS_DIR;
  await page.screenshot({ path: shots ? `${shots}/board.png` : testInfo.outputPath('board.png') });
  await teacher.screenshot({
    path: shots ? `${shots}/board-instructor.png` : testInfo.outputPath('board-instructor.png'),
    fullPage: true,
  });

  // llama-bench Markdown of the room, made from the room's own runs, names included.
  const download = teacher.waitForEvent('download');
  await teacher.getByRole('button', { name: 'llama-bench Markdown' }).click();
  const markdown = readFileSync(await (await download).path(), 'utf8');
  expect(markdown).toMatch(/^\| run +\| model/);
  expect(markdown).toContain(`| ${ANA} · `);

  // JSON and CSV straight from the room: every run sent, under its student's name, names kept as typed.
  const jsonDownload = teacher.waitForEvent('download');
  await teacher.getByRole('link', { name: 'JSON' }).click();
  const exported = ROOM_EXPORT.parse(JSON.parse(readFileSync(await (await jsonDownload).path(), 'utf8')));
  expect(exported.results.map((r) => `${r.participant}|${r.run.id}`).sort()).toEqual([...sent].sort());
  expect(exported.participants.map((p) => p.name).sort()).toEqual([...seats.values()].sort());
  const csvDownload = teacher.waitForEvent('download');
  await teacher.getByRole('link', { name: 'CSV' }).click();
  const [header, ...rows] = parseCsv(readFileSync(await (await csvDownload).path(), 'utf8'));
  const column = (name: string) => header?.indexOf(name) ?? -1;
  expect(column('participant')).toBeGreaterThanOrEqual(0);
  expect(rows.map((row) => `${row[column('participant')]}|${row[column('runId')]}`).sort()).toEqual(
    [...sent].sort(),
  );
  // The figures are the runs' own: Bo's WebGPU run of medium q4 is in it as measured.
  const boRow = rows.find((row) => row[column('participant')] === 'Bo');
  expect(boRow?.[column('device')]).toBe('webgpu');
  expect(Number(boRow?.[column('decodeTokPerS')])).toBeGreaterThan(40);

  // The class result link opens the class's runs in Compare & share, on any device.
  await teacher.getByRole('button', { name: 'Class result link' }).click();
  await expect(
    teacher.getByRole('status').filter({ hasText: `Class result link to ${sent.length} runs` }),
  ).toBeVisible();
  const link = await teacher.getByRole('textbox', { name: /Class result link/ }).inputValue();
  expect(link).toContain('#report=');
  const report = await page.context().newPage();
  await report.goto(link);
  const shared = report.getByRole('region', { name: 'Shared results' });
  await expect(shared).toContainText(`${sent.length} runs`);
  await expect(shared).toContainText(ANA);
  await report.close();

  // The server restarts: the board says so, reconnects by itself, and everything is still there.
  await server.stop();
  await expect(page.getByTestId('board-stream')).toHaveText(/Reconnecting/);
  await server.start();
  await expect(page.getByTestId('board-stream')).toHaveText(/Live/, { timeout: 60_000 });
  await expect(joined.getByRole('heading')).toHaveText('Joined: 7');
  await expect(joined).toContainText('1 of 7 finished the lesson');

  // Clearing asks first, then empties the leaderboards everywhere; closing the room shows on the board.
  await teacher.reload();
  await teacher.getByRole('button', { name: 'Clear results…' }).click();
  await teacher.getByRole('button', { name: 'Yes, clear results' }).click();
  await expect(page.getByTestId('board-leaderboard')).toContainText('No finished runs yet.');
  await teacher.getByRole('button', { name: 'Close the room' }).click();
  await expect(page.getByText('Room closed')).toBeVisible();
  await expect(teacher.getByRole('button', { name: 'Reopen the room' })).toBeVisible();
});
