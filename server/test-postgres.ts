/**
 * A throwaway PostgreSQL server for the storage tests, on 127.0.0.1 and a free port, in a temporary folder: the
 * Debian `postgresql` package's binaries, run as the `postgres` user when the tests run as root (initdb refuses
 * root). `ROOM_TEST_DATABASE_URL` points the tests at an existing server instead. When neither is possible the
 * tests say why and skip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TestPostgres = { url: string; stop: () => void } | { skip: string };

function findBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = join(root, version, 'bin');
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  return null;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** Starts a server (or returns the reason it cannot). */
export async function startTestPostgres(): Promise<TestPostgres> {
  const given = process.env.ROOM_TEST_DATABASE_URL;
  if (given) return { url: given, stop: () => {} };
  const bin = findBinDir();
  if (!bin)
    return {
      skip: 'PostgreSQL is not installed (apt-get install postgresql), or set ROOM_TEST_DATABASE_URL',
    };
  const asRoot = process.getuid?.() === 0;
  if (asRoot && spawnSync('id', ['postgres']).status !== 0)
    return { skip: 'running as root and there is no postgres user to run PostgreSQL as' };
  const run = (command: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, command), args, { stdio: 'pipe' });
  const dir = mkdtempSync(join(tmpdir(), 'room-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  try {
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'lab', '--no-sync']);
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -F`,
      'start',
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return { skip: `PostgreSQL would not start: ${stderr || String(error)}` };
  }
  return {
    url: `postgres://lab@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
