/**
 * `npx tsx scripts/room-load.ts`: a bounded load test of the room server, on loopback only (127.0.0.1).
 *
 * Starts `server/room.ts` in a temporary room folder, opens the class board's event stream, then:
 * 1. steady: 60 simulated students join and each posts 10 results at once; prints requests/s and latency
 *    percentiles, and checks every result is stored exactly once;
 * 2. crash: the same again with new runs, killing the server (SIGKILL) once half the results are acknowledged
 *    and restarting it; students resend what was not acknowledged (a resend is idempotent), and the check is that
 *    every acknowledged result is still there, and every result is stored exactly once.
 * Bounded: 60 × 10 results per phase, and the whole script gives up after 4 minutes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_SCHEMA_VERSION } from '../app/run/restore.ts';
import { percentile } from '../app/run/stats.ts';
import { syntheticRun } from '../app/run/synthetic.ts';

const STUDENTS = 60;
const RESULTS_EACH = 10;
const DEADLINE_MS = 4 * 60_000;
const ROOT = join(import.meta.dirname, '..');
const started = Date.now();

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const dir = mkdtempSync(join(tmpdir(), 'room-load-'));
const port = await freePort();
let server = null as ChildProcess | null;
let code = '';

async function startServer(): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'server', 'room.ts'),
      '--no-build',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--dist',
      join(dir, 'no-lab'),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '' } },
  );
  server = child;
  code = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the room did not start:\n${out}`)), 120_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /room: listening https:\/\/127\.0\.0\.1:\d+\/\?room=([A-Z0-9]+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (status) => reject(new Error(`the room exited (${status}):\n${out}`)));
  });
}

interface Reply {
  status: number;
  body: string;
}

let ca = '';
function call(agent: Agent, method: string, path: string, body?: unknown, secret?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {};
    if (data) headers['content-type'] = 'application/json';
    if (secret) headers.authorization = `Bearer ${secret}`;
    const req = request(
      { host: '127.0.0.1', port, path, method, ca, agent, headers, timeout: 30_000 },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(data);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries on connection errors and 5xx (the server is restarting) until the deadline; returns the final reply. */
async function callUntilAnswered(
  agent: Agent,
  method: string,
  path: string,
  latenciesMs: number[],
  body?: unknown,
  secret?: string,
): Promise<Reply> {
  for (let attempt = 0; ; attempt++) {
    if (Date.now() - started > DEADLINE_MS) throw new Error('deadline passed');
    const t0 = performance.now();
    try {
      const reply = await call(agent, method, path, body, secret);
      if (reply.status < 500) {
        latenciesMs.push(performance.now() - t0);
        return reply;
      }
    } catch {
      // Refused or reset: the server is down; try again shortly.
    }
    await sleep(Math.min(2000, 100 * 2 ** attempt));
  }
}

interface Phase {
  name: string;
  acknowledged: Set<string>;
  requests: number;
  latenciesMs: number[];
  wallMs: number;
}

async function phase(name: string, seedBase: number, onAck: (acked: number) => void): Promise<Phase> {
  const latenciesMs: number[] = [];
  const acknowledged = new Set<string>();
  let requests = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: STUDENTS }, async (_, s) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 4 });
      const joined = await callUntilAnswered(agent, 'POST', '/api/join', latenciesMs, {
        code,
        name: `${name} student ${s + 1}`,
      });
      requests++;
      if (joined.status !== 201) throw new Error(`join: ${joined.status} ${joined.body}`);
      const { secret } = JSON.parse(joined.body) as { secret: string };
      await Promise.all(
        Array.from({ length: RESULTS_EACH }, async (_, r) => {
          const run = syntheticRun(seedBase + s * RESULTS_EACH + r, { id: `${name}-${s}-${r}` });
          const reply = await callUntilAnswered(
            agent,
            'POST',
            '/api/results',
            latenciesMs,
            { schemaVersion: RUN_SCHEMA_VERSION, run },
            secret,
          );
          requests++;
          if (reply.status !== 201 && reply.status !== 200)
            throw new Error(`result: ${reply.status} ${reply.body}`);
          acknowledged.add(run.id);
          onAck(acknowledged.size);
        }),
      );
      agent.destroy();
    }),
  );
  return { name, acknowledged, requests, latenciesMs, wallMs: performance.now() - t0 };
}

async function storedIds(): Promise<string[]> {
  const agent = new Agent();
  const reply = await callUntilAnswered(agent, 'GET', `/api/results?code=${code}`, []);
  agent.destroy();
  return (JSON.parse(reply.body) as { results: { runId: string }[] }).results.map((r) => r.runId);
}

/** Counts result events on the board's stream (reconnecting, like EventSource, when the server restarts). */
function openBoard(): { events: () => number; close: () => void } {
  let count = 0;
  let closed = false;
  const connect = () => {
    if (closed) return;
    const req = request(
      { host: '127.0.0.1', port, path: `/api/events?code=${code}`, ca, agent: false },
      (res) => {
        res.on('data', (chunk: Buffer) => {
          count += (chunk.toString().match(/^event: result$/gm) ?? []).length;
        });
        res.on('close', () => setTimeout(connect, 500));
      },
    );
    req.on('error', () => setTimeout(connect, 500));
    req.end();
  };
  connect();
  return { events: () => count, close: () => (closed = true) };
}

function report(p: Phase, stored: string[]): boolean {
  const ids = stored.filter((id) => id.startsWith(`${p.name}-`));
  const unique = new Set(ids);
  const expected = STUDENTS * RESULTS_EACH;
  const lost = [...p.acknowledged].filter((id) => !unique.has(id));
  const ok =
    ids.length === expected &&
    unique.size === expected &&
    lost.length === 0 &&
    p.acknowledged.size === expected;
  console.log(
    `${p.name}: ${p.requests} requests in ${(p.wallMs / 1000).toFixed(1)} s = ${((p.requests / p.wallMs) * 1000).toFixed(0)} requests/s; ` +
      `latency p50 ${percentile(p.latenciesMs, 50).toFixed(0)} ms, p99 ${percentile(p.latenciesMs, 99).toFixed(0)} ms; ` +
      `stored ${ids.length} (${unique.size} distinct) of ${expected}, acknowledged ${p.acknowledged.size}, lost ${lost.length} → ${ok ? 'OK' : 'FAIL'}`,
  );
  return ok;
}

let failed = false;
try {
  await startServer();
  ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
  const board = openBoard();
  const steady = await phase('steady', 0, () => {});
  failed ||= !report(steady, await storedIds());
  console.log(`board: ${board.events()} result events for ${STUDENTS * RESULTS_EACH} results`);

  let killedAtAck = 0;
  let restartMs = 0;
  const crash = await phase('crash', 100_000, (acked) => {
    if (killedAtAck === 0 && acked >= (STUDENTS * RESULTS_EACH) / 2) {
      killedAtAck = acked;
      server?.kill('SIGKILL');
      const t0 = performance.now();
      void startServer().then(() => {
        restartMs = performance.now() - t0;
      });
    }
  });
  console.log(
    `crash: killed the server (SIGKILL) after ${killedAtAck} acknowledged results; it was back in ${(restartMs / 1000).toFixed(1)} s`,
  );
  failed ||= !report(crash, await storedIds());
  board.close();
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  (server as ChildProcess | null)?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
