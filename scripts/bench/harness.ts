/**
 * The browser side of the bench scripts: make sure the production build exists, serve it with `vite preview`
 * (cross-origin isolated, like production), and drive headless Chromium with every non-local request aborted.
 * Everything here writes to stderr only, so the scripts' stdout stays clean JSON/CSV/Markdown.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../chromium.ts';
import type { HarnessOptions } from './plan.ts';

/** Progress and diagnostics: stderr, one line each. */
export const log = (line: string) => process.stderr.write(`${line}\n`);

/** A failure the user can fix, printed without a stack trace. */
export class HarnessError extends Error {
  override name = 'HarnessError';
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** What the build is made from: an edit to any of these makes `dist/` stale. */
const BUILD_INPUTS = ['app', 'index.html', 'bench.html', 'bare.html', 'vite.config.ts', 'package-lock.json'];
/** Pages the bench scripts load; a build without them predates the bench. */
const HARNESS_PAGES = ['bench.html', 'bare.html'];

/** --chromium / $CHROMIUM_PATH when given, else Playwright's own browser where installed, else Debian's. */
export function resolveChromium(explicit: string | null): string {
  if (explicit !== null) {
    if (!existsSync(explicit))
      throw new HarnessError(`Chromium not found at ${explicit} (from --chromium or CHROMIUM_PATH).`);
    return explicit;
  }
  let bundled: string | null = null;
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = null;
  }
  if (bundled && existsSync(bundled)) return bundled;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new HarnessError('No Chromium found: install one and pass --chromium <path> or set CHROMIUM_PATH.');
}

function newestMtimeMs(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtimeMs(path.join(entry, child)));
  return newest;
}

/** Why the build must be (re)made, or null when it is current. */
export function buildStaleness(distDir: string): string | null {
  const dist = path.resolve(ROOT, distDir);
  const missing = HARNESS_PAGES.find((page) => !existsSync(path.join(dist, page)));
  if (missing) return `${path.join(distDir, missing)} is missing`;
  if (!existsSync(path.join(dist, 'models', 'index.json'))) return `${distDir} has no embedded models`;
  const builtAt = Math.min(...HARNESS_PAGES.map((page) => statSync(path.join(dist, page)).mtimeMs));
  const sourcesAt = Math.max(...BUILD_INPUTS.map((input) => newestMtimeMs(path.join(ROOT, input))));
  return sourcesAt > builtAt ? `${distDir} is older than the sources` : null;
}

function runQuietly(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // The child's output goes to our stderr: stdout belongs to the results.
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(process.stderr, { end: false });
    child.stderr.pipe(process.stderr, { end: false });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new HarnessError(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** Builds the app (models, then `vite build`) when the mode and the build's age call for it. */
export async function ensureBuilt(options: Pick<HarnessOptions, 'distDir' | 'build'>): Promise<void> {
  const reason = options.build === 'always' ? 'rebuild requested (--build)' : buildStaleness(options.distDir);
  if (reason === null) return;
  if (options.build === 'never') {
    throw new HarnessError(
      `${reason}: run \`npm run build\` first, or drop --no-build to let the bench build it.`,
    );
  }
  log(`[bench] building the app: ${reason} …`);
  await runQuietly(process.execPath, [
    path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
    'scripts/make-models.ts',
    'public/models',
  ]);
  await runQuietly(process.execPath, [
    path.join(ROOT, 'node_modules/vite/bin/vite.js'),
    'build',
    '--outDir',
    options.distDir,
    '--emptyOutDir',
  ]);
}

/** The embedded model ids the build serves (from its models/index.json). */
export function embeddedModelIds(distDir: string): string[] {
  const file = path.resolve(ROOT, distDir, 'models', 'index.json');
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('models' in parsed) ||
    !Array.isArray(parsed.models)
  ) {
    throw new HarnessError(`${file} is not a model index.`);
  }
  return parsed.models.flatMap((m: unknown) =>
    typeof m === 'object' && m !== null && 'id' in m && typeof m.id === 'string' ? [m.id] : [],
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface PreviewServer {
  origin: string;
  stop(): Promise<void>;
}

/** Serves the build with `vite preview` (COOP/COEP headers from vite.config.ts) on 127.0.0.1. */
export async function startPreview(distDir: string, requestedPort: number): Promise<PreviewServer> {
  const port = requestedPort === 0 ? await freePort() : requestedPort;
  const origin = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/vite/bin/vite.js'),
      'preview',
      '--port',
      String(port),
      '--strictPort',
      '--host',
      '127.0.0.1',
      '--outDir',
      distDir,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new HarnessError(`vite preview exited (${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(`${origin}/bench.html`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new HarnessError(`vite preview did not answer on ${origin} within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { origin, stop };
}

export interface Harness {
  context: BrowserContext;
  origin: string;
  /** Chromium's version, e.g. "156.0.8078.108". */
  browserVersion: string;
  /** URLs that tried to leave the machine and were aborted. */
  blocked: string[];
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Builds if needed, serves the build, launches Chromium and hands a browser context to `body`; tears
 * everything down afterwards, also on Ctrl-C.
 */
export async function withHarness<T>(
  options: HarnessOptions,
  body: (harness: Harness) => Promise<T>,
): Promise<T> {
  const executablePath = resolveChromium(options.chromiumPath);
  await ensureBuilt(options);
  const preview = await startPreview(options.distDir, options.port);
  const cleanups: Array<() => Promise<void>> = [preview.stop];
  const cleanup = async () => {
    for (const step of cleanups.reverse().splice(0)) await step().catch(() => {});
  };
  const onSignal = () => {
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
    cleanups.push(() => browser.close());
    const context = await browser.newContext();
    const hubOrigin = options.hubHost ? new URL(options.hubHost).origin : null;
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (
        url.protocol === 'data:' ||
        url.protocol === 'blob:' ||
        LOCAL_HOSTS.has(url.hostname) ||
        url.origin === hubOrigin
      ) {
        return route.continue();
      }
      blocked.push(url.href);
      log(`[bench] blocked a request leaving the machine: ${url.href}`);
      return route.abort('blockedbyclient');
    });
    log(
      `[bench] Chromium ${browser.version()} (${executablePath}), serving ${options.distDir} at ${preview.origin}`,
    );
    return await body({ context, origin: preview.origin, browserVersion: browser.version(), blocked });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

/** Opens one of the harness pages and waits until its entry module has run; page errors go to stderr. */
export async function openHarnessPage(context: BrowserContext, url: string, tag: string): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (message) => {
    const text = message.text();
    if (text.startsWith('[') || message.type() === 'error' || message.type() === 'warning')
      log(text.startsWith('[') ? text : `[${tag}] ${text}`);
  });
  page.on('pageerror', (error) => log(`[${tag}] page error: ${error.message}`));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  const isolated = await page.evaluate(() => crossOriginIsolated);
  if (!isolated)
    log(`[${tag}] warning: ${url} is not cross-origin isolated (WASM single-threaded, coarse timers)`);
  return page;
}

/** Rejects after `ms` with a message naming what took too long. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HarnessError(`${what} took longer than ${Math.round(ms / 1000)} s`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A bench script's entry: parses the arguments, prints the usage for -h (exit 0) or with the message for a bad
 * argument (exit 2), runs `body` with the plan and sets its exit code; a HarnessError prints without a stack.
 */
export function runCli<T>(
  parse: (
    argv: readonly string[],
    env: Readonly<Record<string, string | undefined>>,
  ) => { kind: 'plan'; plan: T } | { kind: 'help' } | { kind: 'error'; message: string },
  usage: string,
  body: (plan: T) => Promise<number>,
): void {
  const run = async (): Promise<number> => {
    const parsed = parse(process.argv.slice(2), process.env);
    if (parsed.kind === 'help') {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    if (parsed.kind === 'error') {
      process.stderr.write(`${parsed.message}\n\n${usage}\n`);
      return 2;
    }
    return body(parsed.plan);
  };
  run().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof HarnessError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
