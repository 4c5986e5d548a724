import { describe, expect, it } from 'vitest';
import { classifyError } from '../errors.ts';
import {
  configureSource,
  embeddedSha256,
  filesCache,
  loadErrorBehind,
  modelNameOf,
  PICKED_FILES_PATH,
  retryWithoutCache,
  type SourceEnv,
  sha256FromHeaders,
} from './model-source.ts';

function freshEnv(): SourceEnv {
  return {
    fetch: async () => new Response(''),
    allowLocalModels: false,
    allowRemoteModels: false,
    localModelPath: '',
    remoteHost: '',
    remotePathTemplate: '',
    useBrowserCache: false,
    useCustomCache: false,
    customCache: null,
  };
}

/** A network that answers every request with `size` bytes. */
const network = (size: number) => async () =>
  new Response(new Uint8Array(size), { headers: { 'content-length': String(size) } });

describe('configureSource', () => {
  it('reads embedded models from the app under its base URL, never from a remote host or the browser cache', () => {
    const env = freshEnv();
    configureSource(
      env,
      { kind: 'embedded', id: 'tiny-random-llama' },
      { baseUrl: '/lab/', fetch: network(1) },
    );
    expect(env).toMatchObject({
      allowLocalModels: true,
      allowRemoteModels: false,
      localModelPath: '/lab/models/',
      useBrowserCache: false,
      useCustomCache: false,
    });
  });

  it('points Hub models at the given host in the Hub layout and counts only the model downloads', async () => {
    const env = freshEnv();
    const source = { kind: 'hub', id: 'lab/tiny', host: 'http://mirror.local:8080' } as const;
    const { fetched } = configureSource(env, source, { baseUrl: '/', fetch: network(100) });
    expect(env.remoteHost).toBe('http://mirror.local:8080/');
    expect(env.remotePathTemplate).toBe('{model}/resolve/{revision}/');
    expect(env).toMatchObject({ allowRemoteModels: true, allowLocalModels: false, useBrowserCache: true });
    await env.fetch('http://mirror.local:8080/lab/tiny/resolve/main/config.json');
    await env.fetch('http://127.0.0.1/assets/ort-wasm.wasm'); // the runtime's own file
    expect(fetched()).toEqual({ requests: 1, bytes: 100 });
  });

  it('serves a picked folder from memory through the custom cache, after any earlier Hub setup', async () => {
    const env = freshEnv();
    configureSource(
      env,
      { kind: 'hub', id: 'a/b', host: 'https://huggingface.co' },
      { baseUrl: '/', fetch: network(1) },
    );
    const config = new File(['{"a":1}'], 'config.json');
    configureSource(
      env,
      { kind: 'files', id: 'local/m', files: { 'config.json': config } },
      { baseUrl: '/', fetch: network(1) },
    );
    expect(env).toMatchObject({
      allowRemoteModels: false,
      useCustomCache: true,
      localModelPath: PICKED_FILES_PATH,
    });
    const hit = (await env.customCache?.match(`${PICKED_FILES_PATH}local_m/config.json`)) as Response;
    expect(await hit.text()).toBe('{"a":1}');
    expect(await env.customCache?.match(`${PICKED_FILES_PATH}local_m/tokenizer.json`)).toBeUndefined();
  });
});

describe('a load that fails for want of a cache', () => {
  it('is tried again with the caches off after a failed download or a full quota, and only once', () => {
    // What Chromium's fetch reports for net::ERR_CACHE_WRITE_FAILURE, and the Cache API for a full quota.
    const cacheWrite = new TypeError('Failed to fetch');
    const quota = new DOMException('Quota exceeded.', 'QuotaExceededError');
    expect(retryWithoutCache(cacheWrite, false)).toBe(true);
    expect(retryWithoutCache(quota, false)).toBe(true);
    expect(retryWithoutCache(cacheWrite, true)).toBe(false);
    expect(retryWithoutCache(quota, true)).toBe(false);
  });

  it('is not tried again when a second try would fail the same way or the user stopped it', () => {
    const failures = [
      new Error('Could not locate file: "http://mirror/a/b/resolve/main/onnx/model_q4.onnx".'),
      new Error('Aborted(OOM)'),
      new Error('Load model from buffer failed: protobuf parsing failed'),
      new DOMException('The operation was aborted.', 'AbortError'),
    ];
    for (const failure of failures) expect(retryWithoutCache(failure, false), failure.message).toBe(false);
  });

  it('reads and writes no browser cache on the second try: no Cache API store, every request no-store', async () => {
    const env = freshEnv();
    const inits: (RequestInit | undefined)[] = [];
    const recording = async (_input: string | URL, init?: RequestInit) => {
      inits.push(init);
      return new Response('');
    };
    const hub = { kind: 'hub', id: 'a/b', host: 'http://mirror' } as const;
    configureSource(env, hub, { baseUrl: '/', fetch: recording });
    expect(env.useBrowserCache).toBe(true);
    await env.fetch('http://mirror/a/b/resolve/main/config.json');
    expect(inits[0]?.cache).toBeUndefined();
    configureSource(env, hub, { baseUrl: '/', fetch: recording, cachesOff: true });
    expect(env.useBrowserCache).toBe(false);
    await env.fetch('http://mirror/a/b/resolve/main/onnx/model.onnx', { headers: { Range: 'bytes=0-0' } });
    expect(inits[1]).toMatchObject({ cache: 'no-store', headers: { Range: 'bytes=0-0' } });
  });
});

describe('a download that fails on the way, which transformers.js reports as "not found locally"', () => {
  const notFound = new Error(
    '`local_files_only=true` or `env.allowRemoteModels=false` and file was not found locally at "/models/small-random-llama/onnx/model_quantized.onnx".',
  );

  it('is judged by the failed download: a network error naming the file, so the load is tried again', async () => {
    const env = freshEnv();
    const failing = async (input: string | URL) => {
      if (String(input).endsWith('.onnx')) throw new TypeError('Failed to fetch');
      return new Response('{}');
    };
    const { failedDownloads } = configureSource(
      env,
      { kind: 'embedded', id: 'small-random-llama' },
      { baseUrl: '/', fetch: failing },
    );
    await env.fetch('/models/small-random-llama/config.json');
    await expect(env.fetch('/models/small-random-llama/onnx/model_quantized.onnx')).rejects.toThrow(
      'Failed to fetch',
    );
    expect(failedDownloads().map((f) => f.url)).toEqual([
      '/models/small-random-llama/onnx/model_quantized.onnx',
    ]);
    const behind = loadErrorBehind(notFound, failedDownloads());
    expect(classifyError(behind).code).toBe('network');
    expect(classifyError(behind).message).toContain('/models/small-random-llama/onnx/model_quantized.onnx');
    expect(retryWithoutCache(behind, false)).toBe(true);
    // Without the failed download, the same error still means what it says: no file for that dtype.
    expect(classifyError(loadErrorBehind(notFound, [])).code).toBe('dtype-missing');
    expect(retryWithoutCache(loadErrorBehind(notFound, []), false)).toBe(false);
  });

  it('is not blamed for another file, nor for an error that is not a missing file', () => {
    const other = [
      { url: 'http://127.0.0.1:4173/models/small-random-llama/tokenizer.json', error: new TypeError('x') },
    ];
    expect(loadErrorBehind(notFound, other)).toBe(notFound);
    const oom = new Error('Aborted(OOM)');
    expect(loadErrorBehind(oom, other)).toBe(oom);
    // An absolute URL for the same path is the same file.
    const same = [
      {
        url: 'http://127.0.0.1:4173/models/small-random-llama/onnx/model_quantized.onnx',
        error: new TypeError('Failed to fetch'),
      },
    ];
    expect(classifyError(loadErrorBehind(notFound, same)).code).toBe('network');
  });
});

it('calls the network fetch unbound, as the platform fetch requires', async () => {
  const env = freshEnv();
  // Like window.fetch: "Illegal invocation" when called with another object as `this`.
  const strictFetch = async function (this: unknown) {
    if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
    return new Response('');
  };
  const source = { kind: 'hub', id: 'a/b', host: 'http://mirror' } as const;
  configureSource(env, source, { baseUrl: '/', fetch: strictFetch });
  await expect(env.fetch('http://mirror/a/b/resolve/main/config.json')).resolves.toBeInstanceOf(Response);
});

describe('filesCache and modelNameOf', () => {
  it('finds files by path relative to the folder, percent-encoded or not', async () => {
    const cache = filesCache({ 'onnx/model q4.onnx': new File(['x'], 'model q4.onnx') });
    expect(await cache.match('/__picked__/m/onnx/model%20q4.onnx')).toBeInstanceOf(Response);
  });
  it('makes a picked folder id path-safe and keeps Hub ids', () => {
    expect(modelNameOf({ kind: 'files', id: 'local/my model', files: {} })).toBe('local_my_model');
    expect(modelNameOf({ kind: 'hub', id: 'org/name', host: 'x' })).toBe('org/name');
  });
});

describe("a weight file's SHA-256, without reading the file", () => {
  const SHA = 'ab'.repeat(32);
  const BIG_SHA = 'cd'.repeat(32);

  it("reads the Hub's X-Linked-Etag, or a mirror's strong ETag, and ignores other tags", () => {
    expect(sha256FromHeaders(new Headers({ 'x-linked-etag': `"${SHA}"` }))).toBe(SHA);
    expect(sha256FromHeaders(new Headers({ etag: `"${SHA.toUpperCase()}"` }))).toBe(SHA);
    // A git blob's SHA-1, a weak tag, a static server's size-mtime tag: not a file hash.
    expect(sha256FromHeaders(new Headers({ etag: `"${'a'.repeat(40)}"` }))).toBeNull();
    expect(sha256FromHeaders(new Headers({ etag: `W/"${SHA}"` }))).toBeNull();
    expect(sha256FromHeaders(new Headers({ etag: 'W/"1e3-18c"' }))).toBeNull();
  });

  it("keeps the largest weight file's hash (the external data, not the graph beside it)", async () => {
    const env = freshEnv();
    const host = 'https://room.local:8443';
    const files: Record<string, { size: number; sha: string }> = {
      'onnx/model_q4.onnx': { size: 100, sha: SHA },
      'onnx/model_q4.onnx_data': { size: 5000, sha: BIG_SHA },
    };
    const { weightSha256 } = configureSource(
      env,
      { kind: 'hub', id: 'lab/tiny', host },
      {
        baseUrl: '/',
        fetch: async (input) => {
          const file = Object.entries(files).find(([name]) => String(input).endsWith(name))?.[1];
          return new Response('', {
            headers: file
              ? { 'content-length': String(file.size), 'x-linked-etag': `"${file.sha}"` }
              : { 'x-linked-etag': `"${'ee'.repeat(32)}"` },
          });
        },
      },
    );
    expect(weightSha256()).toBeNull();
    await env.fetch(`${host}/lab/tiny/resolve/main/config.json`);
    await env.fetch(`${host}/lab/tiny/resolve/main/onnx/model_q4.onnx`);
    expect(weightSha256()).toBe(SHA);
    await env.fetch(`${host}/lab/tiny/resolve/main/onnx/model_q4.onnx_data`);
    expect(weightSha256()).toBe(BIG_SHA);
  });

  it("reads an embedded model's hash from index.json, and nothing from a list without hashes", () => {
    const index = {
      models: [{ id: 'tiny', dtypes: { q4: { file: 'onnx/model_q4.onnx', bytes: 9, sha256: SHA } } }],
    };
    expect(embeddedSha256(index, 'tiny', 'q4')).toBe(SHA);
    expect(embeddedSha256(index, 'tiny', 'q8')).toBeNull();
    expect(embeddedSha256(index, 'other', 'q4')).toBeNull();
    expect(
      embeddedSha256({ models: [{ id: 'tiny', dtypes: { q4: { sha256: '<b>' } } }] }, 'tiny', 'q4'),
    ).toBeNull();
    expect(embeddedSha256('garbage', 'tiny', 'q4')).toBeNull();
  });
});
