import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RUN_SCHEMA_VERSION } from '../run/restore.ts';
import { syntheticRun } from '../run/synthetic.ts';
import { DB_NAME, HistoryDb, readAllRuns } from './db.ts';
import {
  clearHistory,
  deleteRuns,
  importRuns,
  loadHistory,
  renameRun,
  saveRun,
  setRunTags,
  useHistory,
} from './store.ts';

describe('history database', () => {
  it('opens runs saved by database version 1 (bare runs, older run shape)', async () => {
    const name = 'history-v1-test';
    const v1 = new Dexie(name);
    v1.version(1).stores({ runs: 'id' });
    const run = syntheticRun(7);
    const { tags: _t, notes: _n, ...older } = run;
    await v1
      .table('runs')
      .put({ ...older, repetitions: run.repetitions.map(({ hidden: _h, ...rep }) => rep) });
    await v1.table('runs').put({ id: 'garbage', createdAt: 'x', settings: 42 });
    v1.close();

    const db = new HistoryDb(name);
    const loaded = await readAllRuns(db);
    expect(loaded.runs).toEqual([run]);
    expect(loaded.unreadable).toEqual([{ id: 'garbage', reason: expect.any(String) }]);
    // The unreadable record is still there, untouched.
    const raw = await db.runs.get('garbage');
    expect(raw?.run).toEqual({ id: 'garbage', createdAt: 'x', settings: 42 });
    db.close();
  });

  it('refuses records from a newer schema without deleting them', async () => {
    const db = new HistoryDb('history-future-test');
    const run = syntheticRun(8);
    await db.runs.put({ id: run.id, createdAt: run.createdAt, schemaVersion: RUN_SCHEMA_VERSION + 1, run });
    const loaded = await readAllRuns(db);
    expect(loaded.runs).toEqual([]);
    expect(loaded.unreadable[0]?.reason).toMatch(/newer version/);
    expect(await db.runs.count()).toBe(1);
    db.close();
  });
});

describe('history store', () => {
  beforeEach(async () => {
    await loadHistory();
    await clearHistory();
  });

  it('saves every repetition as it lands and survives a reload', async () => {
    const run = syntheticRun(1, { reps: 3 });
    for (let n = 1; n <= 3; n++) {
      await saveRun({
        ...run,
        status: n < 3 ? 'running' : 'complete',
        repetitions: run.repetitions.slice(0, n),
      });
    }
    expect(useHistory.getState().runs).toHaveLength(1);
    const reloaded = await readAllRuns(new HistoryDb(DB_NAME));
    expect(reloaded.runs).toEqual([run]);
  });

  it('renames, tags and deletes', async () => {
    await saveRun(syntheticRun(1));
    await saveRun(syntheticRun(2));
    await renameRun('syn-1', '  laptop, battery  ');
    await setRunTags('syn-1', ['battery', ' battery', '', 'class-3']);
    await deleteRuns(['syn-2']);
    const saved = (await readAllRuns()).runs;
    expect(saved.map((r) => [r.id, r.name, r.tags])).toEqual([
      ['syn-1', 'laptop, battery', ['battery', 'class-3']],
    ]);
  });

  it('keeps newest first', async () => {
    await saveRun(syntheticRun(1));
    await saveRun(syntheticRun(5));
    await saveRun(syntheticRun(3));
    expect(useHistory.getState().runs.map((r) => r.id)).toEqual(['syn-5', 'syn-3', 'syn-1']);
  });

  it('imports without overwriting: same run skipped, clashing id kept under a new id', async () => {
    const mine = syntheticRun(1, { name: 'mine' });
    await saveRun(mine);
    const outcome = await importRuns([
      mine,
      syntheticRun(50, { id: mine.id, name: 'theirs' }),
      syntheticRun(2),
    ]);
    expect(outcome.duplicates).toBe(1);
    expect(outcome.added.map((r) => r.id)).toEqual(['syn-1~2', 'syn-2']);
    const saved = (await readAllRuns()).runs;
    expect(saved.find((r) => r.id === 'syn-1')?.name).toBe('mine');
    expect(saved).toHaveLength(3);
  });

  it('never overwrites a saved record this version cannot read (one written by a newer version)', async () => {
    const db = new HistoryDb(DB_NAME);
    const future = {
      id: 'syn-9',
      createdAt: '2031-01-01T00:00:00.000Z',
      schemaVersion: RUN_SCHEMA_VERSION + 1,
      run: { x: 1 },
    };
    await db.table('runs').put(future);
    const outcome = await importRuns([syntheticRun(9)]);
    expect(outcome.added.map((r) => r.id)).toEqual(['syn-9~2']);
    expect(await db.runs.get('syn-9')).toEqual(future);
    expect((await readAllRuns(db)).runs.map((r) => r.id)).toEqual(['syn-9~2']);
    db.close();
  });

  it('a run renamed on import keeps an id short enough to be read back after a reload', async () => {
    const longId = 'r'.repeat(100);
    await saveRun(syntheticRun(1, { id: longId }));
    await importRuns([syntheticRun(2, { id: longId })]);
    const reloaded = await readAllRuns(new HistoryDb(DB_NAME));
    expect(reloaded.unreadable).toEqual([]);
    expect(reloaded.runs).toHaveLength(2);
  });
});

describe('history after a closed tab', () => {
  it('a run left running when the page closed reopens as partial, keeping its repetitions', async () => {
    const db = new HistoryDb(DB_NAME);
    const run = { ...syntheticRun(21, { reps: 2 }), status: 'running' as const };
    await db.runs.put({ id: run.id, createdAt: run.createdAt, schemaVersion: RUN_SCHEMA_VERSION, run });
    db.close();
    // A fresh page: the store module loads the history anew.
    vi.resetModules();
    const fresh = await import('./store.ts');
    await fresh.loadHistory();
    const reopened = fresh.useHistory.getState().runs.find((r) => r.id === run.id);
    expect(reopened?.status).toBe('partial');
    expect(reopened?.repetitions).toHaveLength(2);
    expect(reopened?.notes.at(-1)).toMatch(/page closed during this run/);
    // …and it was written back, so the next page sees it the same way.
    expect((await readAllRuns(new HistoryDb(DB_NAME))).runs.find((r) => r.id === run.id)?.status).toBe(
      'partial',
    );
  });
});
