import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillModel } from './fill.ts';

/** A fake Hub on 127.0.0.1 holding one model, with a q4 file but no q8, and a flag to cut a download short. */
const FILES: Record<string, Buffer> = {
  'config.json': Buffer.from('{"model_type":"llama"}'),
  'tokenizer.json': Buffer.from('{"model":{}}'),
  'tokenizer_config.json': Buffer.from('{}'),
  'generation_config.json': Buffer.from('{}'),
  'onnx/model_q4.onnx': Buffer.alloc(300_000, 3),
};
let server: Server;
let hub: string;
let cutShort = false;
const dir = mkdtempSync(join(tmpdir(), 'room-fill-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    const match = /^\/org\/model\/resolve\/main\/(.+)$/.exec(req.url ?? '');
    const body = match?.[1] ? FILES[match[1]] : undefined;
    if (!body) return void res.writeHead(404).end('Entry not found');
    res.writeHead(200, { 'Content-Length': body.length });
    if (cutShort && body.length > 1000) return void res.write(body.subarray(0, 1000), () => res.destroy());
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('room:fill', () => {
  it('copies the model in the Hub layout, skips optional files the Hub lacks, and totals the size', async () => {
    const modelsDir = join(dir, 'a');
    const report = await fillModel({ hubHost: hub, modelId: 'org/model', dtypes: ['q4'], modelsDir });
    expect(
      readFileSync(join(modelsDir, 'org', 'model', 'onnx', 'model_q4.onnx')).equals(
        FILES['onnx/model_q4.onnx'] as Buffer,
      ),
    ).toBe(true);
    expect(report.absent).toEqual(['special_tokens_map.json', 'onnx/model_q4.onnx_data']);
    const expected = Object.values(FILES).reduce((sum, b) => sum + b.length, 0);
    expect(report.totalBytes).toBe(expected);
    const again = await fillModel({ hubHost: hub, modelId: 'org/model', dtypes: ['q4'], modelsDir });
    expect(again.fetched).toEqual([]);
    expect(again.totalBytes).toBe(expected);
  });

  it('fails on a dtype the Hub does not have, and on a cut download leaves no partial file', async () => {
    const modelsDir = join(dir, 'b');
    await expect(
      fillModel({ hubHost: hub, modelId: 'org/model', dtypes: ['q8'], modelsDir }),
    ).rejects.toThrow(/404/);
    cutShort = true;
    await expect(
      fillModel({ hubHost: hub, modelId: 'org/model', dtypes: ['q4'], modelsDir }),
    ).rejects.toThrow();
    cutShort = false;
    expect(existsSync(join(modelsDir, 'org', 'model', 'onnx', 'model_q4.onnx'))).toBe(false);
    expect(existsSync(join(modelsDir, 'org', 'model', 'onnx', 'model_q4.onnx.part'))).toBe(false);
  });

  it('refuses an id that is not organisation/name', async () => {
    for (const modelId of ['../etc', 'org/../x', 'org', 'a/b/c']) {
      await expect(fillModel({ hubHost: hub, modelId, dtypes: ['q4'], modelsDir: dir })).rejects.toThrow(
        /not a Hub model id/,
      );
    }
  });
});
