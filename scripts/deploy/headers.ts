/**
 * What a host must send with the lab, in one place: cross-origin isolation (COOP/COEP, for WASM threads and
 * fine timers) and the Content-Security-Policy. `vite.config.ts` sends them from `vite dev` and `vite preview`;
 * `public/_headers` (Netlify, Cloudflare Pages) and `vercel.json` carry the same text, and a unit test keeps
 * them equal to what this module produces.
 *
 * Build/serve options read from the environment, each validated here (they end up in headers and URLs):
 * - `LAB_BASE`: the sub-path the lab is served from (`/some/path/`), Vite's `base`.
 * - `LAB_CONNECT_SRC`: extra origins the page may fetch from (a Hub mirror), added to `connect-src`.
 */

/** Cross-origin isolation: WASM threads (SharedArrayBuffer) and 5 µs timers instead of 100 µs. */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

/**
 * The Hugging Face Hub: model files are fetched from `huggingface.co/<org>/<name>/resolve/main/<file>`, which
 * redirects to its CDN and storage hosts (`cdn-lfs.hf.co`, `cdn-lfs-us-1.hf.co`, `cas-bridge.xethub.hf.co`,
 * `cdn-lfs.huggingface.co`); a redirect is checked against `connect-src` too. `*.hf.co` matches any depth.
 */
export const HUB_CONNECT_SRC = [
  'https://huggingface.co',
  'https://*.huggingface.co',
  'https://*.hf.co',
] as const;

/** One `connect-src` source: an http(s) or ws(s) origin, optionally `*.` before the host and `:*` as the port. */
const SOURCE = /^(?:https?|wss?):\/\/(?:\*\.)?(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::(?:\d{1,5}|\*))?$/;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Reads `LAB_CONNECT_SRC`: origins separated by spaces or commas (`https://mirror.example http://127.0.0.1:*`).
 * Anything else (a keyword such as `'unsafe-inline'`, a path, a `;` that would start a new directive) is refused,
 * so the variable can only widen where the page may fetch from.
 */
export function parseConnectSrc(text: string | undefined): Parsed<string[]> {
  const sources = (text ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  const bad = sources.find((s) => !SOURCE.test(s));
  if (bad !== undefined) {
    return {
      ok: false,
      message: `LAB_CONNECT_SRC: "${bad}" is not an origin such as https://mirror.example or http://127.0.0.1:*`,
    };
  }
  return { ok: true, value: [...new Set(sources)] };
}

/** One path segment of a base path: URL-safe characters only, and never `.` or `..`. */
const SEGMENT = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/;

/**
 * Reads `LAB_BASE`, the sub-path the lab is served from, into Vite's `base`: `/` when unset, else
 * `/seg/seg/` with a slash at both ends (`some/path` → `/some/path/`). Segments are URL-safe characters; a
 * scheme, host, `..`, query, fragment, quote or space is refused (the base ends up in every asset URL).
 */
export function parseBase(text: string | undefined): Parsed<string> {
  const trimmed = (text ?? '').trim();
  if (trimmed === '' || trimmed === '/') return { ok: true, value: '/' };
  const segments = trimmed.replace(/^\//, '').replace(/\/$/, '').split('/');
  if (segments.every((s) => SEGMENT.test(s))) return { ok: true, value: `/${segments.join('/')}/` };
  return {
    ok: false,
    message: `LAB_BASE: "${trimmed}" is not a path such as /some/path/ (letters, digits, . _ ~ - between slashes)`,
  };
}

export interface CspOptions {
  /** Origins added to `connect-src` besides the app's own and the Hub's. */
  connectSrc?: readonly string[];
  /**
   * Vite's dev server: its React refresh preamble is an inline script, its CSS arrives as `<style>` elements
   * and hot reload talks over a WebSocket, so dev allows inline scripts and styles and `ws:`. Never built.
   */
  dev?: boolean;
  /**
   * Delivered as a `<meta>` tag (hosts that send no headers): `frame-ancestors` is ignored there and would
   * only log a warning, so it is left out.
   */
  meta?: boolean;
}

/**
 * The lab's Content-Security-Policy: scripts from the app's origin only (plus WebAssembly compilation), no
 * inline script, no plugins, no framing, fetches to the app's origin and the Hub host(s) only.
 */
export function contentSecurityPolicy({
  connectSrc = [],
  dev = false,
  meta = false,
}: CspOptions = {}): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'", "'wasm-unsafe-eval'", ...(dev ? ["'unsafe-inline'"] : [])],
    ['style-src', "'self'", ...(dev ? ["'unsafe-inline'"] : [])],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'"],
    ['connect-src', "'self'", ...HUB_CONNECT_SRC, ...connectSrc, ...(dev ? ['ws:', 'wss:'] : [])],
    // Workers come from the app's own files only: ONNX Runtime spawns its threads from its own same-origin
    // script (it falls back to a blob: copy only for a cross-origin one), and transformers.js's blob: copy of
    // that script is pinned away (app/engine/wasm-paths.ts).
    ['worker-src', "'self'"],
    ['manifest-src', "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
    ...(meta ? [] : [['frame-ancestors', "'none'"] as [string, ...string[]]]),
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

/** Every header the lab's pages and files need, for a dev/preview server or a host's config. */
export function labHeaders(options: CspOptions = {}): Record<string, string> {
  return {
    ...ISOLATION_HEADERS,
    'Content-Security-Policy': contentSecurityPolicy(options),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

/** `_headers` for Netlify and Cloudflare Pages: the lab's headers on every path, long caching for hashed assets. */
export function netlifyHeaders(options: CspOptions = {}): string {
  const lines = Object.entries(labHeaders(options)).map(([k, v]) => `  ${k}: ${v}`);
  return [
    '# Generated from scripts/deploy/headers.ts (a unit test keeps this file equal to it).',
    '/*',
    ...lines,
    '/assets/*',
    '  Cache-Control: public, max-age=31536000, immutable',
    '',
  ].join('\n');
}

/** `vercel.json`: the same headers for Vercel, which reads them from the project root. */
export function vercelConfig(options: CspOptions = {}): string {
  const headers = Object.entries(labHeaders(options)).map(([key, value]) => ({ key, value }));
  const config = {
    $schema: 'https://openapi.vercel.sh/vercel.json',
    buildCommand: 'npm run build',
    outputDirectory: 'dist',
    headers: [
      { source: '/(.*)', headers },
      {
        source: '/assets/(.*)',
        headers: [{ key: 'Cache-Control', value: 'public, max-age=31536000, immutable' }],
      },
    ],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
