import { afterEach, describe, expect, it, vi } from 'vitest';
import { EngineClient, EngineFailure } from './client.ts';
import { FakeWorker } from './fake-worker.ts';
import { ms } from './protocol.ts';

function setup(silenceLimitMs: number | null = null) {
  const workers: FakeWorker[] = [];
  const client = new EngineClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as Worker;
  }, silenceLimitMs);
  return { client, workers, worker: () => workers.at(-1) as FakeWorker };
}

afterEach(() => vi.useRealTimers());

describe('EngineClient', () => {
  it('gives each request an id and routes events by id', async () => {
    const { client, worker } = setup();
    const tokens: Array<[number, string]> = [];
    const running = client.run(
      { promptTokens: 8, genTokens: 3, reps: 1 },
      { onToken: (t) => tokens.push([t.index, t.text]) },
    );
    const request = worker().requests[0];
    expect(request?.type).toBe('run');
    const id = request?.id ?? -1;
    const one = (index: number, t: number) => ({ index, timeMs: ms(t) });
    worker().emit({ type: 'tokens', id: id + 100, rep: 0, tokens: [one(9, 1)], text: 'x' }); // someone else's
    worker().emit({ type: 'tokens', id, rep: 0, tokens: [one(0, 1)], text: 'a' });
    worker().emit({ type: 'tokens', id, rep: 0, tokens: [one(1, 2), one(2, 3)], text: 'bc' });
    worker().emit({ type: 'done', id, interrupted: false });
    await expect(running).resolves.toEqual({ interrupted: false });
    // One call per token; a batch's text arrives with its last token.
    expect(tokens).toEqual([
      [0, 'a'],
      [1, ''],
      [2, 'bc'],
    ]);
  });

  it('rejects with the worker error code and message', async () => {
    const { client, worker } = setup();
    const loading = client.load({ kind: 'embedded', id: 'nope' }, 'q8', 'wasm');
    const id = worker().requests[0]?.id ?? -1;
    worker().emit({ type: 'error', id, code: 'model-not-found', message: 'The model was not found.' });
    await expect(loading).rejects.toMatchObject({
      code: 'model-not-found',
      message: 'The model was not found.',
    });
  });

  it('sends an interrupt for the running request when the signal aborts', () => {
    const { client, worker } = setup();
    const controller = new AbortController();
    void client.run({ promptTokens: 8, genTokens: 3, reps: 1 }, {}, controller.signal);
    const runId = worker().requests[0]?.id;
    controller.abort();
    expect(worker().requests[1]).toMatchObject({ type: 'interrupt', target: runId });
  });

  it('replaces a crashed worker and fails the pending requests', async () => {
    const { client, workers, worker } = setup();
    const notices: string[] = [];
    client.onNotice((n) => notices.push(n.reason));
    const pending = client.capabilities();
    worker().crash('boom');
    await expect(pending).rejects.toBeInstanceOf(EngineFailure);
    await expect(pending).rejects.toMatchObject({ code: 'worker-crashed' });
    expect(workers).toHaveLength(2);
    expect(workers[0]?.terminated).toBe(true);
    expect(notices[0]).toMatch(/crashed \(boom\)/);
  });

  it('replaces a wedged worker that stays silent past the limit', async () => {
    vi.useFakeTimers();
    const { client, workers } = setup(3_000);
    const pending = client.capabilities();
    const failed = expect(pending).rejects.toMatchObject({ code: 'worker-crashed' });
    await vi.advanceTimersByTimeAsync(5_000);
    await failed;
    expect(workers).toHaveLength(2);
    client.terminate();
  });
});
