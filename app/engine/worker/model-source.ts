/**
 * Where transformers.js reads a model's files from: the app's own server (embedded models), a Hugging Face Hub
 * compatible host (the Hub or a mirror), or a folder the user picked. Written against the few `env` fields it
 * sets, so it is tested without the runtime.
 */
import { classifyError } from '../errors.ts';
import type { ModelSource } from '../protocol.ts';

/** A cache transformers.js asks before fetching (its custom-cache hook). */
export interface CacheLike {
  match(request: string): Promise<unknown>;
  put(request: string, response: Response): Promise<void>;
}

/** The fields of transformers.js's `env` that decide where model files come from. */
export interface SourceEnv {
  fetch: (input: string | URL, init?: RequestInit) => Promise<Response>;
  allowLocalModels: boolean;
  allowRemoteModels: boolean;
  localModelPath: string;
  remoteHost: string;
  remotePathTemplate: string;
  useBrowserCache: boolean;
  useCustomCache: boolean;
  customCache: CacheLike | null;
}

/** The path under which picked files are looked up; never fetched (the custom cache answers first). */
export const PICKED_FILES_PATH = '/__picked__/';

/** Local files picked by the user, served to transformers.js through its custom-cache hook. */
export function filesCache(files: Record<string, File>) {
  const lookup = (key: string): File | undefined => {
    const path = decodeURIComponent(key);
    const hit = Object.keys(files).find((rel) => path.endsWith(`/${rel}`) || path === rel);
    return hit ? files[hit] : undefined;
  };
  return {
    match: async (key: string | Request) => {
      const file = lookup(typeof key === 'string' ? key : key.url);
      return file ? new Response(file, { headers: { 'content-length': String(file.size) } }) : undefined;
    },
    put: async () => {},
  };
}

/** The name transformers.js loads: the Hub id, or a path-safe name for a picked folder. */
export const modelNameOf = (source: ModelSource): string =>
  source.kind === 'files' ? source.id.replace(/[^\w.-]/g, '_') : source.id;

/** A weight file's name: model.onnx, model_q4.onnx, model.onnx_data, model.onnx_data_1. */
export const WEIGHT_FILE = /\.onnx(_data(_\d+)?)?$/;

/**
 * The SHA-256 a Hub host states for a file, without reading it: the Hub's `X-Linked-Etag` (and the `ETag` of
 * a mirror that serves the file itself) is the file's SHA-256 for LFS files. Weak or non-SHA-256 tags (a git
 * blob's SHA-1, a static server's mtime tag) give null.
 */
export function sha256FromHeaders(headers: Headers): string | null {
  for (const name of ['x-linked-etag', 'etag']) {
    const tag = headers.get(name)?.trim().toLowerCase();
    const digest = tag?.replace(/^w\//, '').replace(/^"|"$/g, '');
    if (digest && !tag?.startsWith('w/') && /^[0-9a-f]{64}$/.test(digest)) return digest;
  }
  return null;
}

/**
 * An embedded model's weight-file SHA-256 as the generator wrote it into index.json
 * (`models[].dtypes[dtype].sha256`); null when the list does not say (an index from before hashes were written).
 */
export function embeddedSha256(index: unknown, id: string, dtype: string): string | null {
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isRecord(index) || !Array.isArray(index.models)) return null;
  const model = index.models.find((m): m is Record<string, unknown> => isRecord(m) && m.id === id);
  const dtypes = model && isRecord(model.dtypes) ? model.dtypes : {};
  const entry = dtypes[dtype];
  const sha = isRecord(entry) ? entry.sha256 : undefined;
  return typeof sha === 'string' && /^[0-9a-f]{64}$/.test(sha) ? sha : null;
}

/**
 * Whether a failed load is tried once more with the browser's caches off. A cache only saves a download, so
 * when writing to it fails (Chromium's `net::ERR_CACHE_WRITE_FAILURE` when a private window's in-memory HTTP
 * cache cannot hold a large file two requests share, or the Cache API's quota in a private window or on a full
 * disk) the model must still load. Only a failed download or a full quota qualifies, and only once: a missing
 * file, a corrupt model or too little memory would fail the same way again.
 */
export function retryWithoutCache(error: unknown, cachesWereOff: boolean): boolean {
  if (cachesWereOff) return false;
  if (error instanceof DOMException && error.name === 'AbortError') return false;
  const raw = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return classifyError(error).code === 'network' || /QuotaExceeded|quota/i.test(raw);
}

/** A request for a model file that never got a response (the platform's fetch threw). */
export interface FailedDownload {
  url: string;
  error: unknown;
}

/**
 * The error a failed load should be judged by. transformers.js reads an embedded or picked model's files as
 * "local" files and, when such a download fails at the network level, swallows the failure and reports the
 * file as "not found locally" — which would read as a missing dtype or a missing model and never be retried.
 * When a request for the file the error names (or, when it names none, any model file) failed without a
 * response, the failed download is the real cause: a network error naming the file is returned instead.
 */
export function loadErrorBehind(error: unknown, failures: readonly FailedDownload[]): unknown {
  const { code } = classifyError(error);
  if (failures.length === 0 || (code !== 'dtype-missing' && code !== 'model-not-found')) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const pathOf = (url: string) => new URL(url, 'http://localhost/').pathname;
  const named = /"([^"]+)"/.exec(raw)?.[1];
  const namedPath = named === undefined ? undefined : pathOf(named);
  const failure =
    namedPath === undefined
      ? failures[0]
      : failures.find((f) => pathOf(f.url) === namedPath || pathOf(f.url).endsWith(namedPath));
  if (!failure) return error;
  const why = failure.error instanceof Error ? failure.error.message : String(failure.error);
  const file = pathOf(failure.url);
  return new Error(`Downloading ${file} failed on the network: ${why}`, { cause: error });
}

/** The run's note when the model loaded only on the second try, with the browser's caches off. */
export const cachesOffNote = (error: unknown): string =>
  `Loaded with the browser's caches off: the first try failed (${error instanceof Error ? error.message : String(error)}); the load time is the second try's.`;

/**
 * Points `env` at the source's files. Returns a counter of the model files fetched over the network (only
 * requests to the Hub host count: the runtime's own files go through env.fetch too); none means a Hub model came
 * from the browser cache. `weightSha256` is the SHA-256 the host stated for the largest weight file fetched
 * (null when none stated one, or every file came from the cache). With `cachesOff`, nothing is read from or
 * written to the browser's caches: neither transformers.js's Cache API store nor the HTTP cache (`no-store`).
 */
export function configureSource(
  env: SourceEnv,
  source: ModelSource,
  options: {
    baseUrl: string;
    fetch: (input: string | URL, init?: RequestInit) => Promise<Response>;
    cachesOff?: boolean;
  },
): {
  fetched: () => { requests: number; bytes: number };
  weightSha256: () => string | null;
  /** Requests that got no response at all (the platform's fetch threw), in order. */
  failedDownloads: () => FailedDownload[];
} {
  let requests = 0;
  let bytes = 0;
  /** The largest weight file whose host stated its SHA-256. */
  let largest: { bytes: number; sha256: string } | null = null;
  const modelHost = source.kind === 'hub' ? source.host : null;
  // Called detached: the platform's fetch throws "Illegal invocation" when called as a method of `options`.
  const platformFetch = options.fetch;
  const networkFetch: typeof platformFetch = options.cachesOff
    ? (input, init) => platformFetch(input, { ...init, cache: 'no-store' })
    : platformFetch;
  const failures: FailedDownload[] = [];
  env.fetch = async (input, init) => {
    let response: Response;
    try {
      response = await networkFetch(input, init);
    } catch (error) {
      failures.push({ url: String(input), error });
      throw error;
    }
    if (modelHost && String(input).startsWith(modelHost)) {
      requests++;
      const size = Number(response.headers.get('content-length') ?? 0);
      bytes += size;
      const sha256 = WEIGHT_FILE.test(new URL(String(input)).pathname)
        ? sha256FromHeaders(response.headers)
        : null;
      const fileBytes = Number(response.headers.get('x-linked-size') ?? size) || 0;
      if (sha256 && (!largest || fileBytes > largest.bytes)) largest = { bytes: fileBytes, sha256 };
    }
    return response;
  };
  env.useCustomCache = false;
  env.customCache = null;
  switch (source.kind) {
    case 'embedded':
      // Served by the app itself; browser caching would only keep stale copies after the generator changes.
      env.allowLocalModels = true;
      env.allowRemoteModels = false;
      env.localModelPath = `${options.baseUrl}models/`;
      env.useBrowserCache = false;
      break;
    case 'hub':
      env.allowLocalModels = false;
      env.allowRemoteModels = true;
      env.remoteHost = source.host.endsWith('/') ? source.host : `${source.host}/`;
      env.remotePathTemplate = '{model}/resolve/{revision}/';
      env.useBrowserCache = !options.cachesOff;
      break;
    case 'files':
      env.allowLocalModels = true;
      env.allowRemoteModels = false;
      env.localModelPath = PICKED_FILES_PATH;
      env.useBrowserCache = false;
      env.useCustomCache = true;
      env.customCache = filesCache(source.files);
      break;
    default:
      source satisfies never;
  }
  return {
    fetched: () => ({ requests, bytes }),
    weightSha256: () => largest?.sha256 ?? null,
    failedDownloads: () => [...failures],
  };
}
