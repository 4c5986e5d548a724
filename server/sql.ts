/**
 * The room's database: PGlite (PostgreSQL compiled to WASM, on disk, nothing to install) by default, or a real
 * PostgreSQL when `DATABASE_URL` is set. Both speak the same SQL, so the migrations and queries below and in
 * store.ts are written once and run unchanged on either.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';

/** A value a query may bind: everything the store passes is text, a number or null. */
export type SqlValue = string | number | null;

/** The little the store needs from a database connection. Placeholders are PostgreSQL's $1, $2… */
export interface SqlClient {
  /** Runs one statement and returns its rows. */
  query<Row extends Record<string, unknown>>(text: string, params?: readonly SqlValue[]): Promise<Row[]>;
  close(): Promise<void>;
  /** Where the data lives, in words (no password). */
  readonly description: string;
}

/** Opens (creating if needed) a PGlite database in `dir`. */
export async function openPglite(dir: string): Promise<SqlClient> {
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  return {
    description: `embedded PostgreSQL (PGlite) in ${dir}`,
    async query<Row extends Record<string, unknown>>(text: string, params: readonly SqlValue[] = []) {
      const result = await db.query<Row>(text, [...params]);
      return result.rows;
    },
    close: () => db.close(),
  };
}

/** Connects to a PostgreSQL server (`postgres://user:pass@host:port/db`). */
export async function openPostgres(url: string): Promise<SqlClient> {
  const sql = postgres(url, { max: 10, onnotice: () => {} });
  // Fail now, with the server's message, rather than on the first student's result.
  await sql`select 1`;
  const { host, port, pathname } = new URL(url);
  return {
    description: `PostgreSQL at ${host}:${port}${pathname}`,
    async query<Row extends Record<string, unknown>>(text: string, params: readonly SqlValue[] = []) {
      const rows = await sql.unsafe(text, [...params]);
      return [...rows] as unknown as Row[];
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** `DATABASE_URL` when set (a PostgreSQL server), otherwise PGlite in `dir`. */
export const openDatabase = (dir: string, url = process.env.DATABASE_URL): Promise<SqlClient> =>
  url ? openPostgres(url) : openPglite(dir);

/**
 * The schema, one step per version. A step runs once per database; add a step, never edit one that shipped.
 * Tables are prefixed so a shared PostgreSQL database can hold them beside others.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE room_state (key text PRIMARY KEY, value text NOT NULL)`,
  `CREATE TABLE room_participants (
     id text PRIMARY KEY,
     name text NOT NULL,
     secret_hash text NOT NULL UNIQUE,
     joined_at text NOT NULL,
     seq integer GENERATED ALWAYS AS IDENTITY
   )`,
  `CREATE TABLE room_results (
     run_id text PRIMARY KEY,
     participant_id text NOT NULL REFERENCES room_participants(id) ON DELETE CASCADE,
     lesson_id text,
     run jsonb NOT NULL,
     received_at text NOT NULL,
     seq integer GENERATED ALWAYS AS IDENTITY
   )`,
  `CREATE INDEX room_results_participant ON room_results (participant_id)`,
];

/** Brings the database up to the latest schema; returns the versions it applied. */
export async function migrate(db: SqlClient): Promise<number[]> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS room_migrations (version integer PRIMARY KEY, applied_at text NOT NULL)`,
  );
  const done = new Set(
    (await db.query<{ version: number }>(`SELECT version FROM room_migrations`)).map((row) =>
      Number(row.version),
    ),
  );
  const applied: number[] = [];
  for (const [index, step] of MIGRATIONS.entries()) {
    const version = index + 1;
    if (done.has(version)) continue;
    await db.query(step);
    await db.query(`INSERT INTO room_migrations (version, applied_at) VALUES ($1, $2)`, [
      version,
      new Date().toISOString(),
    ]);
    applied.push(version);
  }
  return applied;
}
