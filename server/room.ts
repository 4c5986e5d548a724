/**
 * `npm run room`: serves the lab to a workshop room over HTTPS, with the Hub mirror and the room's API.
 *
 *   npm run room -- [--host 0.0.0.0] [--port 8443] [--dir .room] [--models <dir>/models]
 *                   [--cert cert.pem --key key.pem] [--no-build]
 *
 * DATABASE_URL=postgres://… keeps the results in PostgreSQL instead of the room folder.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:https';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import QRCode from 'qrcode';
import { createRoomApp } from './app.ts';
import { parseHeadersFile } from './headers-file.ts';
import { openDatabase } from './sql.ts';
import { RoomStore } from './store.ts';
import { ownCertificate, roomCertificate } from './tls.ts';

const ROOT = resolve(import.meta.dirname, '..');

/** The newest modification time under `path` (a file or a folder), skipping generated model files. */
function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'models' || entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  }
  return newest;
}

/** True when dist/ is missing or older than a source it is built from. */
export function buildIsStale(distDir: string): boolean {
  const built = join(distDir, 'index.html');
  if (!existsSync(built)) return true;
  const sources = [
    'app',
    'public',
    'index.html',
    'bench.html',
    'bare.html',
    'vite.config.ts',
    'package-lock.json',
  ];
  return Math.max(...sources.map((s) => newestMtimeMs(join(ROOT, s)))) > statSync(built).mtimeMs;
}

/**
 * The class board's address from the students' join address (`…/?room=CODE`): `&board`, and with the instructor
 * token, `&token=…` (the board then shows the instructor's actions).
 */
export function boardUrl(joinUrl: string, instructorToken?: string): string {
  const url = new URL(joinUrl);
  const token = instructorToken ? `&token=${encodeURIComponent(instructorToken)}` : '';
  return `${url.origin}${url.pathname}?${url.searchParams.toString()}&board${token}`;
}

/** The machine's IPv4 addresses on the room's network (not loopback). */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '0.0.0.0' },
      port: { type: 'string', default: '8443' },
      dir: { type: 'string', default: join(ROOT, '.room') },
      models: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      dist: { type: 'string', default: join(ROOT, 'dist') },
      'no-build': { type: 'boolean', default: false },
    },
  });
  const dir = resolve(values.dir);
  const modelsDir = resolve(values.models ?? join(dir, 'models'));
  const distDir = resolve(values.dist);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port ${values.port} is not a port`);
  if ((values.cert === undefined) !== (values.key === undefined))
    throw new Error('--cert and --key go together');
  mkdirSync(modelsDir, { recursive: true });

  if (!values['no-build'] && buildIsStale(distDir)) {
    console.log('Building the lab (npm run build)…');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  if (!existsSync(join(distDir, 'index.html')))
    console.warn(`No lab in ${distDir}: only the API and the mirror are served.`);

  const store = await RoomStore.open(await openDatabase(join(dir, 'db')));
  const state = await store.state();
  const lan = lanAddresses();
  const pem =
    values.cert && values.key ? ownCertificate(values.cert, values.key) : await roomCertificate(dir, lan);
  const headersFile = [join(distDir, '_headers'), join(ROOT, 'public', '_headers')].find((p) =>
    existsSync(p),
  );
  const headers = headersFile ? parseHeadersFile(readFileSync(headersFile, 'utf8')) : {};
  const { app } = createRoomApp({
    store,
    distDir: existsSync(join(distDir, 'index.html')) ? distDir : null,
    modelsDir,
    headers,
  });

  const server = serve(
    {
      fetch: app.fetch,
      port,
      hostname: values.host,
      createServer,
      serverOptions: { key: pem.key, cert: pem.cert },
    },
    async (info) => {
      const hosts = values.host === '0.0.0.0' || values.host === '::' ? [...lan, '127.0.0.1'] : [values.host];
      const urls = hosts.map(
        (h) => `https://${h.includes(':') ? `[${h}]` : h}:${info.port}/?room=${state.code}`,
      );
      console.log(`room: listening ${urls[urls.length - 1]}`);
      console.log(`\nStudents open (same network):\n${urls.map((u) => `  ${u}`).join('\n')}\n`);
      if (urls[0]) console.log(await QRCode.toString(urls[0], { type: 'terminal', small: true }));
      console.log(`Room code:         ${state.code}`);
      console.log(`Instructor token:  ${state.instructorToken}   (keep it to yourself)`);
      if (urls[0]) {
        console.log(`Class board:       ${boardUrl(urls[0])}   (for the projector)`);
        console.log(
          `Instructor board:  ${boardUrl(urls[0], state.instructorToken)}   (with your actions; keep it to yourself)`,
        );
      }
      console.log(`Results:           ${store.description}`);
      console.log(`Hub mirror:        ${modelsDir} (fill it with npm run room:fill)`);
      console.log(`Certificate:       ${pem.origin}`);
      if (!values.cert)
        console.log(
          '\nThe certificate is self-signed unless you gave your own: each browser warns once ("Your connection is not\n' +
            'private"); choose Advanced → Proceed. The connection is still encrypted; the warning only says that no\n' +
            'public authority vouches for this laptop.',
        );
    },
  );

  const stop = async () => {
    server.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(`room: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
