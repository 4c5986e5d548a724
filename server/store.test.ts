import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticRun } from '../app/run/synthetic.ts';
import { openPglite, openPostgres, type SqlClient } from './sql.ts';
import { RoomStore } from './store.ts';
import { startTestPostgres, type TestPostgres } from './test-postgres.ts';

/** The same behaviour on both engines: one suite, run once per database. */
function storageSuite(open: () => Promise<SqlClient>) {
  it('keeps the code and the instructor token across restarts', async () => {
    const first = await RoomStore.open(await open());
    const state = await first.state();
    expect(state.code).toMatch(/^[A-Z2-9]{6}$/);
    expect(state.instructorToken.length).toBeGreaterThan(30);
    await first.close();
    const again = await RoomStore.open(await open());
    expect(await again.state()).toEqual(state);
    await again.close();
  });

  it('stores a run once, answers a resend with the stored copy, and refuses it to another participant', async () => {
    const store = await RoomStore.open(await open());
    await store.clearResults();
    const ada = await store.join('Ada', 'secret-ada');
    const bob = await store.join('Bob <b>', 'secret-bob');
    const run = syntheticRun(1, { id: 'run-1' });
    expect((await store.addResult(ada.id, run, 'quantization')).kind).toBe('stored');
    const resend = await store.addResult(ada.id, run, 'quantization');
    expect(resend.kind).toBe('again');
    expect((await store.addResult(bob.id, run, null)).kind).toBe('taken');
    const results = await store.results();
    expect(results.map((r) => r.runId)).toEqual(['run-1']);
    expect(results[0]?.run).toEqual(run);
    expect(results[0]?.lessonId).toBe('quantization');
    expect(await store.participantBySecret('secret-bob')).toEqual(bob);
    expect(await store.participantBySecret('not-a-secret')).toBeNull();
    await store.close();
  });

  it('loses nothing when reopened, and clear empties the results but keeps who joined', async () => {
    const store = await RoomStore.open(await open());
    await store.clearResults();
    const cy = await store.join('Cy', 'secret-cy');
    for (let i = 0; i < 5; i++) await store.addResult(cy.id, syntheticRun(i, { id: `cy-${i}` }), null);
    await store.setLesson('batching');
    await store.setClosed(true);
    await store.close();
    const reopened = await RoomStore.open(await open());
    expect(await reopened.resultCount()).toBe(5);
    expect((await reopened.state()).lessonId).toBe('batching');
    expect((await reopened.state()).closed).toBe(true);
    await reopened.clearResults();
    expect(await reopened.resultCount()).toBe(0);
    expect((await reopened.participants()).map((p) => p.name)).toContain('Cy');
    await reopened.close();
  });
}

describe('room storage on PGlite (on disk)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'room-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  storageSuite(() => openPglite(join(dir, 'db')));
});

const postgres: TestPostgres = await startTestPostgres();
if ('skip' in postgres) console.warn(`Skipping the PostgreSQL storage tests: ${postgres.skip}`);

describe.skipIf('skip' in postgres)('room storage on PostgreSQL', () => {
  afterAll(() => {
    if ('stop' in postgres) postgres.stop();
  });
  storageSuite(() => ('url' in postgres ? openPostgres(postgres.url) : Promise.reject(new Error('skipped'))));
});
