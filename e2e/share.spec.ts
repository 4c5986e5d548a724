import type { Browser, BrowserContext, Page } from '@playwright/test';
import { toJsonExport } from '../app/compare/exports.ts';
import { decodeReport, encodeReport, packJson, reportUrl } from '../app/run/link.ts';
import type { RunResult } from '../app/run/run.ts';
import { syntheticRun } from '../app/run/synthetic.ts';
import { expect, test } from './fixtures.ts';
import { keepShot, runFromUi } from './helpers.ts';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A fresh browser context (no history, no cookies) held to the same offline rule as the fixture's. */
async function freshContext(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page; leaked: string[] }> {
  const context = await browser.newContext();
  const leaked: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || LOCAL_HOSTS.has(url.hostname))
      return route.continue();
    leaked.push(url.href);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  return { context, page, leaked };
}

const MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15';
const WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const PHONE =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Mobile Safari/537.36';

const RUNS: RunResult[] = [
  syntheticRun(1, { modelId: 'tiny-random-llama', dtype: 'fp32', decodeTokPerS: 90, name: 'tiny fp32' }),
  syntheticRun(2, { modelId: 'tiny-random-llama', dtype: 'q4', decodeTokPerS: 120, name: 'tiny q4' }),
  syntheticRun(3, { modelId: 'small-random-llama', dtype: 'fp32', decodeTokPerS: 30, name: 'small fp32' }),
  syntheticRun(4, { modelId: 'small-random-llama', dtype: 'q4', decodeTokPerS: 55, name: 'small q4' }),
];

const tableCells = (page: Page, scope = page.locator('body')) =>
  scope.locator('table.comparison-table tbody tr').evaluateAll((rows) =>
    rows.map((row) =>
      Array.from(row.querySelectorAll('td'))
        .slice(2)
        .map((td) => td.textContent ?? ''),
    ),
  );

test('a result link opened in a fresh browser shows the same numbers, and imports', async ({
  page,
  browser,
}) => {
  await page.goto('/?view=compare');
  await page
    .getByLabel(/Results files/)
    .setInputFiles({ name: 'r.json', mimeType: 'application/json', buffer: Buffer.from(toJsonExport(RUNS)) });
  await page.getByRole('button', { name: 'Import into my history' }).click();
  await page.getByRole('button', { name: 'Select all' }).click();
  await page.getByRole('button', { name: 'Copy result link' }).click();
  const link = await page.getByRole('textbox', { name: 'Result link', exact: true }).inputValue();
  expect(link).toContain('#report=');
  expect(link.length).toBeLessThan(2_000);
  const mine = await tableCells(page, page.getByRole('region', { name: 'Comparison' }));
  expect(mine).toHaveLength(4);

  const fresh = await freshContext(browser);
  const errors: string[] = [];
  fresh.page.on('pageerror', (e) => errors.push(e.message));
  await fresh.page.goto(link);
  const report = fresh.page.getByRole('region', { name: 'Shared results' });
  await expect(report).toContainText('4 runs');
  await expect(report).toContainText('Chrome 140 on Linux');
  // Same numbers, except ITL percentiles, which a summary link does not carry.
  const theirs = await tableCells(fresh.page, report);
  expect(theirs.map((row) => row.slice(0, -1))).toEqual(mine.map((row) => row.slice(0, -1)));
  await expect(
    report
      .getByRole('figure', { name: 'Decode speed vs model size' })
      .locator('.recharts-scatter-symbol')
      .first(),
  ).toBeVisible();

  await report.getByRole('button', { name: 'Import into my history' }).click();
  await expect(report.getByRole('status')).toContainText('Imported 4 runs');
  await expect(fresh.page.locator('.history-row')).toHaveCount(4);
  await fresh.page.reload();
  await expect(fresh.page.locator('.history-row')).toHaveCount(4);
  expect(errors).toEqual([]);
  expect(fresh.leaked).toEqual([]);
  await fresh.context.close();
});

test('the class view merges several links from several machines', async ({ page }) => {
  const base = 'http://127.0.0.1/';
  const links = [
    reportUrl(
      base,
      encodeReport(RUNS.map((r) => ({ ...r, id: `mac-${r.id}`, env: { ...r.env, userAgent: MAC } }))),
    ),
    reportUrl(
      base,
      encodeReport(
        RUNS.slice(0, 2).map((r, i) =>
          syntheticRun(20 + i, { ...r.settings, id: `win-${i}`, decodeTokPerS: 200, userAgent: WINDOWS }),
        ),
      ),
    ),
    reportUrl(
      base,
      encodeReport([
        syntheticRun(30, {
          modelId: 'tiny-random-llama',
          dtype: 'fp32',
          decodeTokPerS: 20,
          userAgent: PHONE,
          id: 'phone',
        }),
      ]),
    ),
  ];
  await page.goto('/?view=compare&section=class');
  await page
    .getByLabel('Result links')
    .fill([...links, links[1], 'https://x.org/#report=broken!'].join('\n'));
  await page.getByRole('button', { name: 'Add to the class results' }).click();
  const status = page.getByRole('status');
  await expect(status).toContainText('7 runs from 3 machines');
  await expect(status).toContainText('2 duplicates merged');
  await expect(status).toContainText('Link 5: The link is damaged');

  const board = page.getByRole('region', { name: 'Leaderboard tiny-random-llama fp32' });
  const machines = await board.locator('tbody tr td:nth-child(2)').allTextContents();
  expect(machines).toEqual([
    expect.stringContaining('Chrome 140 on Windows'),
    expect.stringContaining('Safari 17 on macOS'),
    expect.stringContaining('Chrome 139 on Android'),
  ]);
  await expect(board).toContainText('Across 3 machines');
});

test('malformed, truncated, tampered and future links get a clear message and run nothing', async ({
  page,
}) => {
  const good = encodeReport(RUNS);
  const cases: Array<[string, RegExp]> = [
    ['not a link at all!', /characters a result link never has/],
    [good.slice(0, Math.floor(good.length / 2)), /damaged or cut short/],
    [`${good.slice(0, 40)}${good[40] === 'A' ? 'B' : 'A'}${good.slice(41)}`, /damaged|do not check out/],
    [packJson({ v: 3, runs: [] }), /newer version of the lab \(format v3\)/],
    [packJson({ v: 2, d: 1, runs: [{ ...RUNS[0], settings: { reps: 'many' } }] }), /do not check out/],
    ['', /no results/],
  ];
  for (const [payload, message] of cases) {
    await page.goto(`/?view=compare#report=${payload}`);
    const report = page.getByRole('region', { name: 'Shared results' });
    await expect(report.getByRole('alert')).toHaveText(message);
    await expect(report).toContainText('Nothing from the link was run or saved.');
    await expect(page.getByRole('heading', { name: 'Inference Cost Lab' })).toBeVisible();
  }
  await expect(page.locator('.history-row')).toHaveCount(0);

  // Names in a link are text, never markup.
  const hostile = syntheticRun(5, { name: '<b id="injected">bold</b>' });
  await page.goto(`/?view=compare#report=${encodeReport([hostile])}`);
  await expect(page.getByText('<b id="injected">bold</b>')).toBeVisible();
  await expect(page.locator('#injected')).toHaveCount(0);
});

test('"run the same on my device" measures the shared configurations here and sets them side by side', async ({
  page,
  baseURL,
}) => {
  const shared = [
    syntheticRun(11, { modelId: 'tiny-random-llama', dtype: 'q8', promptTokens: 32, genTokens: 8, reps: 2 }),
    syntheticRun(12, { modelId: 'tiny-random-llama', dtype: 'q4', promptTokens: 32, genTokens: 8, reps: 2 }),
  ];
  await page.goto(reportUrl(`${baseURL}/`, encodeReport(shared)));
  const report = page.getByRole('region', { name: 'Shared results' });
  await report.getByRole('button', { name: 'Run the same on my device (2 measurements)' }).click();
  const sideBySide = report.locator('.side-by-side tbody tr');
  await expect(sideBySide).toHaveCount(2, { timeout: 120_000 });
  // Both configurations were measured here: every row has a figure of its own and a ratio to the shared one.
  await expect(sideBySide.filter({ hasText: 'not measured' })).toHaveCount(0, { timeout: 120_000 });
  for (const row of await sideBySide.all()) await expect(row.locator('td').nth(3)).toHaveText(/\d/);
  // The new runs are in this browser's history, tagged.
  await page.goto('/?view=compare');
  await expect(page.locator('.history-row')).toHaveCount(2);
});

/** 140 runs x 1,000 repetitions of one configuration: a schema-valid link of a few KB that pools 140,000 values. */
function manyRepetitions(): RunResult[] {
  const one = syntheticRun(7, {
    modelId: 'tiny-random-llama',
    dtype: 'q8',
    promptTokens: 32,
    genTokens: 8,
    reps: 1,
  });
  const first = one.repetitions[0];
  if (!first) throw new Error('syntheticRun made no repetition');
  const repetitions = Array.from({ length: 1_000 }, (_, rep) => ({ ...first, rep }));
  return Array.from({ length: 140 }, (_, i) => ({
    ...one,
    id: `many-${i}`,
    name: `many ${i}`,
    settings: { ...one.settings, reps: 1_000 },
    repetitions,
  }));
}

test('a report of 140 runs x 1,000 repetitions opens, and Close report brings the page back', async ({
  page,
}) => {
  await page.goto(`/?view=compare#report=${encodeReport(manyRepetitions())}`);
  const report = page.getByRole('region', { name: 'Shared results' });
  await expect(report).toContainText('140 runs');
  await expect(report.locator('table.comparison-table tbody tr').first()).toContainText(/\d/);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await report.getByRole('button', { name: 'Close report' }).click();
  await expect(report).toHaveCount(0);
  expect(new URL(page.url()).hash).toBe('');
  await expect(page.getByRole('region', { name: 'Saved runs' })).toBeVisible();
});

/**
 * A TTFT no real run has; the page is made to fail whenever it formats this number. This stands in
 * for any rendering bug a link's data might hit, without a test hook in the lab's own code.
 */
const POISON_TTFT_MS = 123.321;

/** Makes every number formatter in the page throw on POISON_TTFT_MS, as a rendering bug would. */
async function poisonNumberFormatting(page: Page) {
  await page.addInitScript((poison: number) => {
    const fail = () => {
      throw new Error(`cannot format ${poison}`);
    };
    for (const name of ['toFixed', 'toPrecision', 'toLocaleString'] as const) {
      const original = Number.prototype[name] as (this: number, ...args: unknown[]) => string;
      Object.defineProperty(Number.prototype, name, {
        configurable: true,
        writable: true,
        value(this: number, ...args: unknown[]) {
          if (Number(this) === poison) fail();
          return original.apply(this, args);
        },
      });
    }
    const format = Object.getOwnPropertyDescriptor(Intl.NumberFormat.prototype, 'format');
    Object.defineProperty(Intl.NumberFormat.prototype, 'format', {
      configurable: true,
      get(this: Intl.NumberFormat) {
        const bound = format?.get?.call(this) as (value: number | bigint) => string;
        return (value: number | bigint) => (value === poison ? fail() : bound(value));
      },
    });
  }, POISON_TTFT_MS);
}

/** A run whose every repetition has the poisoned TTFT, on a machine and configuration of its own. */
const poisonedRun = (): RunResult => {
  const run = syntheticRun(40, {
    modelId: 'small-random-llama',
    dtype: 'q8',
    userAgent: PHONE,
    id: 'poisoned',
  });
  return {
    ...run,
    repetitions: run.repetitions.map((rep) => ({
      ...rep,
      ttftMs: POISON_TTFT_MS as typeof rep.ttftMs,
      tokenTimesMs: [POISON_TTFT_MS as typeof rep.ttftMs, ...rep.tokenTimesMs.slice(1)],
    })),
  };
};

test('a report panel that crashes keeps Close report, and the rest of the report, working', async ({
  page,
}) => {
  await poisonNumberFormatting(page);
  await page.goto(`/?view=compare#report=${encodeReport([...RUNS, poisonedRun()])}`);
  const report = page.getByRole('region', { name: 'Shared results' });
  // The crash really happened, and stayed inside the comparison.
  await expect(report.getByRole('alert')).toContainText('The comparison hit an unexpected error');
  await expect(report).toContainText('5 runs');
  await report.getByRole('button', { name: 'Import into my history' }).click();
  await expect(report.getByRole('status')).toContainText('Imported 5 runs');

  await report.getByRole('button', { name: 'Close report' }).click();
  await expect(report).toHaveCount(0);
  expect(new URL(page.url()).hash).toBe('');
  await expect(page.getByRole('heading', { name: 'Inference Cost Lab' })).toBeVisible();
});

test('the class view tells identical laptops apart by participant, one board per model file, and keeps it all across tabs and reloads', async ({
  page,
}) => {
  const sha256 = 'ab'.repeat(32);
  const student = (seed: number, participant: string, mirror: boolean): RunResult => {
    const run = syntheticRun(seed, {
      modelId: 'tiny-random-llama',
      dtype: 'q4',
      userAgent: WINDOWS,
      decodeTokPerS: 100 + seed,
      id: `student-${seed}`,
    });
    // The same file, embedded in the lab or from the room's Hub mirror under an organisation.
    return mirror
      ? {
          ...run,
          participant,
          weightSha256: sha256,
          hubHost: 'https://room.local:8443',
          settings: { ...run.settings, modelId: 'lab/tiny-random-llama', sourceKind: 'hub' },
        }
      : { ...run, participant, weightSha256: sha256 };
  };
  const links = [student(1, 'Ana', false), student(2, 'Ben', true), student(3, 'Chloé', false)].map((run) =>
    reportUrl('http://127.0.0.1/', encodeReport([run])),
  );
  await page.goto('/?view=compare&section=class');
  const field = page.getByLabel('Result links');
  await field.fill(links.join('\n'));
  await page.getByRole('button', { name: 'Add to the class results' }).click();

  const gathered = async () => {
    // Three students on identical laptops: three participants, not one machine.
    await expect(page.getByRole('status')).toContainText('3 runs from 3 participants');
    const board = page.getByRole('region', { name: 'Leaderboard tiny-random-llama q4' });
    await expect(board.locator('tbody tr')).toHaveCount(3);
    await expect(board.locator('tbody')).toContainText('Ana');
    await expect(board.locator('tbody')).toContainText('Ben');
    await expect(board.locator('tbody')).toContainText('Chloé');
    await expect(board.getByTestId('model-identity')).toContainText(
      'embedded; lab/tiny-random-llama from https://room.local:8443',
    );
    await expect(board).toContainText('Across 3 participants');
    await expect(page.getByRole('region', { name: /^Leaderboard / })).toHaveCount(1);
    await expect(field).toHaveValue(links.join('\n'));
  };
  await gathered();
  await keepShot(page, 'class-view');

  await page.getByRole('button', { name: 'Measure', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Run settings' })).toBeVisible();
  await page.getByRole('button', { name: 'Compare & share', exact: true }).click();
  await page.getByRole('button', { name: 'Class view', exact: true }).click();
  await gathered();

  await page.reload();
  await gathered();

  await page.getByRole('button', { name: 'Start over' }).click();
  await expect(page.getByRole('region', { name: /^Leaderboard / })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('region', { name: /^Leaderboard / })).toHaveCount(0);
  await expect(field).toHaveValue(links.join('\n'));
});

test('a link that names its Hub host offers it for "run the same", and refuses one that is not https', async ({
  page,
}) => {
  const fromHub = (seed: number, hubHost: string): RunResult => {
    const run = syntheticRun(seed, { modelId: 'lab/tiny-random-llama', dtype: 'q4', id: `hub-${seed}` });
    return { ...run, hubHost, settings: { ...run.settings, sourceKind: 'hub' } };
  };
  const payload = encodeReport([fromHub(1, 'https://room.local:8443'), fromHub(2, 'http://10.0.0.5:8080')]);
  await page.goto(`/?view=compare#report=${payload}`);
  const offers = page.getByTestId('linked-hub-host');
  await expect(offers).toContainText('These runs loaded their models from https://room.local:8443');
  await expect(offers).toContainText('http://10.0.0.5:8080) is not an https address');
  await offers.getByRole('button', { name: 'Load models from https://room.local:8443' }).click();
  // Now the lab's own Hub host: nothing left to offer, the refusal stays.
  await expect(offers).not.toContainText('These runs loaded their models from');
  await expect(offers).toContainText('loads from your own Hub host (https://room.local:8443)');
  expect(await page.evaluate(() => localStorage.getItem('lab.hubHost'))).toBe('https://room.local:8443');
});

test('Share on the result card gives the link and its QR code, carrying the name the student gave', async ({
  page,
}) => {
  await page.goto('/?view=measure&device=wasm&dtype=q8&p=16&g=8&r=2');
  await runFromUi(page);
  await page.getByRole('button', { name: 'Share this result' }).click();
  const share = page.getByTestId('share-run');
  const link = share.getByRole('textbox', { name: 'Result link' });
  await expect(link).toHaveValue(/[?]view=compare#report=/);
  await expect(share.getByRole('img', { name: 'QR code of the result link' })).toBeVisible();
  await keepShot(page, 'result-card-share');

  await share.getByLabel(/Your name or seat/).fill('<b>Ana</b>');
  await share.getByLabel(/Your name or seat/).press('Enter');
  await expect(share).toContainText('cannot contain < or >');
  await share.getByLabel(/Your name or seat/).fill('  Seat 7 ');
  await share.getByLabel(/Your name or seat/).press('Enter');
  await expect(share.getByLabel(/Your name or seat/)).toHaveValue('Seat 7');
  const shared = await link.inputValue();
  const decoded = decodeReport(shared);
  expect(decoded.ok && decoded.report.runs.map((r) => r.participant)).toEqual(['Seat 7']);

  // The teacher's class view lists the run under that name.
  await page.goto('/?view=compare&section=class');
  await page.getByLabel('Result links').fill(shared);
  await page.getByRole('button', { name: 'Add to the class results' }).click();
  await expect(page.getByRole('status')).toContainText('1 run from 1 participant');
  await expect(page.locator('.leaderboard tbody')).toContainText('Seat 7');
});

test('a class-view panel that crashes keeps the pasted links and Start over', async ({ page }) => {
  await poisonNumberFormatting(page);
  await page.goto('/?view=compare&section=class');
  const links = [
    reportUrl('http://127.0.0.1/', encodeReport(RUNS)),
    reportUrl('http://127.0.0.1/', encodeReport([poisonedRun()])),
  ].join('\n');
  const field = page.getByLabel('Result links');
  await field.fill(links);
  await page.getByRole('button', { name: 'Add to the class results' }).click();
  await expect(page.getByRole('status')).toContainText('5 runs from 2 machines');
  await expect(page.getByRole('alert').filter({ hasText: 'hit an unexpected error' }).first()).toBeVisible();
  await expect(field).toHaveValue(links);

  await page.getByRole('button', { name: 'Start over' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(field).toHaveValue(links);
  // The links are still there to gather again.
  await page.getByRole('button', { name: 'Add to the class results' }).click();
  await expect(page.getByRole('status')).toContainText('5 runs from 2 machines');
});
