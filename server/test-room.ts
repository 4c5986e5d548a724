/**
 * A room for tests: the real app over real HTTPS on 127.0.0.1 (a free port), with a self-signed certificate and
 * a PGlite database in a temporary folder, and a small HTTPS client that trusts that certificate and nothing else.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createRoomApp, type RoomLimits } from './app.ts';
import { openPglite } from './sql.ts';
import { RoomStore } from './store.ts';
import { roomCertificate } from './tls.ts';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (not JSON-encoded). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

/** One HTTPS request that trusts only `ca`. */
export function requestOver(ca: string, base: string) {
  return (method: string, path: string, options: RequestOptions = {}): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const body =
        options.rawBody ??
        (options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body)));
      const headers: Record<string, string> = { ...options.headers };
      if (options.body !== undefined) headers['content-type'] ??= 'application/json';
      const req = httpsRequest(new URL(path, base), { method, ca, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
}

export interface TestRoom {
  url: string;
  ca: string;
  dir: string;
  modelsDir: string;
  store: RoomStore;
  code: string;
  instructorToken: string;
  request: ReturnType<typeof requestOver>;
  close: () => Promise<void>;
}

export async function startTestRoom(
  options: {
    limits?: Partial<RoomLimits>;
    distDir?: string | null;
    headers?: Record<string, string>;
    /** A room folder to reuse (a restart: same database, same certificate); kept on close. Default: a new one, removed on close. */
    dir?: string;
    /** Default: a free port. */
    port?: number;
  } = {},
): Promise<TestRoom> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'room-test-'));
  const modelsDir = join(dir, 'models');
  mkdirSync(modelsDir, { recursive: true });
  const store = await RoomStore.open(await openPglite(join(dir, 'db')));
  const state = await store.state();
  const pem = await roomCertificate(dir, []);
  const { app } = createRoomApp({
    store,
    distDir: options.distDir ?? null,
    modelsDir,
    headers: options.headers,
    limits: options.limits,
  });
  const server = serve({
    fetch: app.fetch,
    port: options.port ?? 0,
    hostname: '127.0.0.1',
    createServer,
    serverOptions: { key: pem.key, cert: pem.cert },
  });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', resolve)));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ca: pem.cert,
    dir,
    modelsDir,
    store,
    code: state.code,
    instructorToken: state.instructorToken,
    request: requestOver(pem.cert, url),
    close: async () => {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
