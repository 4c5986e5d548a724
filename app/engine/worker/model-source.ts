/**
 * Where transformers.js reads a model's files from: the app's own server (embedded models), a Hugging Face Hub
 * compatible host (the Hub or a mirror), or a folder the user picked. Written against the few `env` fields it
 * sets, so it is tested without the runtime.
 */
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

/**
 * Points `env` at the source's files. Returns a counter of the model files fetched over the network (only
 * requests to the Hub host count: the runtime's own files go through env.fetch too); none means a Hub model came
 * from the browser cache.
 */
export function configureSource(
  env: SourceEnv,
  source: ModelSource,
  options: { baseUrl: string; fetch: (input: string | URL, init?: RequestInit) => Promise<Response> },
): { fetched: () => { requests: number; bytes: number } } {
  let requests = 0;
  let bytes = 0;
  const modelHost = source.kind === 'hub' ? source.host : null;
  // Called detached: the platform's fetch throws "Illegal invocation" when called as a method of `options`.
  const networkFetch = options.fetch;
  env.fetch = async (input, init) => {
    const response = await networkFetch(input, init);
    if (modelHost && String(input).startsWith(modelHost)) {
      requests++;
      bytes += Number(response.headers.get('content-length') ?? 0);
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
      env.useBrowserCache = true;
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
  return { fetched: () => ({ requests, bytes }) };
}
