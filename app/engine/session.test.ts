import { describe, expect, it } from 'vitest';
import { EngineClient } from './client.ts';
import { FakeWorker } from './fake-worker.ts';
import { type LoadedModel, ms } from './protocol.ts';
import { type EngineLease, EngineSession } from './session.ts';

const loadedModel = (modelId: string): LoadedModel => ({
  modelId,
  dtype: 'q8',
  device: 'wasm',
  loadMs: ms(1),
  fromCache: false,
  downloadedBytes: 0,
  maxContextTokens: 128,
  config: {},
  fallbackReason: null,
});

function setup(host = 'http://mirror.local') {
  const workers: FakeWorker[] = [];
  let clients = 0;
  let hubHost = host;
  const session = new EngineSession(
    () => {
      clients++;
      return new EngineClient(() => {
        const w = new FakeWorker();
        workers.push(w);
        return w as unknown as Worker;
      });
    },
    () => hubHost,
  );
  const worker = () => workers.at(-1) as FakeWorker;
  /** Answers the worker's latest load request. */
  const answerLoad = (modelId = 'm') => {
    const request = worker().last('load');
    if (!request) throw new Error('no load request');
    worker().emit({ type: 'loaded', id: request.id, model: loadedModel(modelId) });
  };
  const answerRun = () => {
    const request = worker().last('run');
    if (!request) throw new Error('no run request');
    worker().emit({ type: 'done', id: request.id, interrupted: false });
  };
  return {
    session,
    workers,
    worker,
    answerLoad,
    answerRun,
    clients: () => clients,
    setHubHost: (h: string) => {
      hubHost = h;
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const embedded = { kind: 'embedded', id: 'm' } as const;
const q8wasm = { dtype: 'q8', device: 'wasm' } as const;

describe('EngineSession', () => {
  it('creates no worker until the engine is first used', async () => {
    const t = setup();
    t.session.onNotice(() => {});
    expect(t.clients()).toBe(0);
    const job = t.session.exclusive(undefined, async () => 'nothing sent');
    await expect(job).resolves.toBe('nothing sent');
    expect(t.clients()).toBe(0);
    void t.session.exclusive(undefined, (engine) => engine.load(embedded, q8wasm));
    await settle();
    expect(t.clients()).toBe(1);
  });

  it('runs jobs one at a time, in the order they were queued', async () => {
    const t = setup();
    const order: string[] = [];
    const first = t.session.exclusive(undefined, async (engine) => {
      order.push('first starts');
      await engine.load(embedded, q8wasm);
      order.push('first loaded');
    });
    const second = t.session.exclusive(undefined, async () => {
      order.push('second starts');
    });
    await settle();
    // The second job waits while the first one's load is in flight.
    expect(order).toEqual(['first starts']);
    t.answerLoad();
    await Promise.all([first, second]);
    expect(order).toEqual(['first starts', 'first loaded', 'second starts']);
  });

  it('a job aborted while queued never starts, and the queue goes on', async () => {
    const t = setup();
    const controller = new AbortController();
    let queuedRan = false;
    const first = t.session.exclusive(undefined, (engine) => engine.load(embedded, q8wasm));
    const queued = t.session.exclusive(controller.signal, async () => {
      queuedRan = true;
    });
    const third = t.session.exclusive(undefined, async () => 'third ran');
    controller.abort();
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    t.answerLoad();
    await first;
    await expect(third).resolves.toBe('third ran');
    expect(queuedRan).toBe(false);
  });

  it('aborting a running job interrupts its run, which resolves as interrupted', async () => {
    const t = setup();
    const controller = new AbortController();
    const job = t.session.exclusive(controller.signal, async (engine) => {
      await engine.load(embedded, q8wasm);
      return engine.run({ promptTokens: 8, genTokens: 4, reps: 3 }, {});
    });
    await settle();
    t.answerLoad();
    await settle();
    const run = t.worker().last('run');
    controller.abort();
    const interrupt = t.worker().last('interrupt');
    expect(interrupt?.target).toBe(run?.id);
    t.worker().emit({ type: 'done', id: run?.id ?? -1, interrupted: true });
    await expect(job).resolves.toEqual({ interrupted: true });
    // The model survives an interrupted run: the next job reuses it.
    const next = await t.session.exclusive(undefined, (engine) => engine.load(embedded, q8wasm));
    expect(next.reused).toBe(true);
  });

  it('aborting a load stops it at once: the worker is replaced and the next load starts clean', async () => {
    const t = setup();
    const controller = new AbortController();
    const progress: number[] = [];
    const job = t.session.exclusive(controller.signal, (engine) =>
      engine.load({ kind: 'hub', id: 'org/big' }, q8wasm, (p) => progress.push(p.loadedBytes)),
    );
    await settle();
    const downloading = t.worker();
    const request = downloading.last('load');
    downloading.emit({
      type: 'progress',
      id: request?.id ?? -1,
      file: 'onnx/model.onnx',
      loadedBytes: 5,
      totalBytes: 100,
    });
    controller.abort();
    await expect(job).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress).toEqual([5]);
    // The worker holding the download is gone; a fresh one answers the next load, which is not "reused".
    expect(downloading.terminated).toBe(true);
    expect(t.workers).toHaveLength(2);
    expect(t.session.loadedModel()).toBeNull();
    const next = t.session.exclusive(undefined, (engine) =>
      engine.load({ kind: 'hub', id: 'org/big' }, q8wasm),
    );
    await settle();
    expect(t.worker().last('load')).toBeDefined();
    t.answerLoad('org/big');
    await expect(next).resolves.toMatchObject({ reused: false });
  });

  it('loads another model in a fresh worker, and keeps the worker for the same model', async () => {
    const t = setup();
    const load = (id: string) =>
      t.session.exclusive(undefined, (engine) => engine.load({ kind: 'embedded', id }, q8wasm));
    const first = load('tiny');
    await settle();
    t.answerLoad('tiny');
    await expect(first).resolves.toMatchObject({ reused: false });
    await expect(load('tiny')).resolves.toMatchObject({ reused: true });
    expect(t.workers).toHaveLength(1);
    const other = load('medium');
    await settle();
    // The worker that held tiny is gone before medium loads: medium starts from a clean engine.
    expect(t.workers[0]?.terminated).toBe(true);
    expect(t.workers).toHaveLength(2);
    expect(t.workers[0]?.last('load')?.source).toMatchObject({ id: 'tiny' });
    expect(t.worker().last('load')?.source).toMatchObject({ id: 'medium' });
    t.answerLoad('medium');
    await expect(other).resolves.toMatchObject({ reused: false });
  });

  it('every Hub load uses the lab-wide Hub host, whatever host the caller named', async () => {
    const t = setup('http://room.local:8080');
    const source = { kind: 'hub', id: 'org/m', host: 'https://huggingface.co' } as const;
    const first = t.session.exclusive(undefined, (engine) => engine.load(source, q8wasm));
    await settle();
    expect(t.worker().last('load')?.source).toEqual({
      kind: 'hub',
      id: 'org/m',
      host: 'http://room.local:8080',
    });
    t.answerLoad('org/m');
    await first;
    // A changed host is a different model source: loaded again, from the new host.
    t.setHubHost('http://other.local');
    const second = t.session.exclusive(undefined, (engine) => engine.load(source, q8wasm));
    await settle();
    expect(t.worker().last('load')?.source).toMatchObject({ host: 'http://other.local' });
    t.answerLoad('org/m');
    await expect(second).resolves.toMatchObject({ reused: false });
  });

  it('aborting a score replaces the worker and forgets the model', async () => {
    const t = setup();
    const controller = new AbortController();
    const job = t.session.exclusive(controller.signal, async (engine) => {
      await engine.load(embedded, q8wasm);
      return engine.score('text', 16, 4);
    });
    await settle();
    t.answerLoad();
    await settle();
    expect(t.worker().last('score')).toBeDefined();
    controller.abort();
    await expect(job).rejects.toMatchObject({ name: 'AbortError' });
    expect(t.workers[0]?.terminated).toBe(true);
    expect(t.session.loadedModel()).toBeNull();
  });

  it('a lease cannot be used after its job ended', async () => {
    const t = setup();
    const leases: EngineLease[] = [];
    await t.session.exclusive(undefined, async (engine) => {
      leases.push(engine);
    });
    await expect(leases[0]?.load(embedded, q8wasm)).rejects.toThrow(/lease has ended/);
  });
});
