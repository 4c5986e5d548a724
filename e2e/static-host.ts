import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** What a plain static host sends as Content-Type; nothing else (no COOP/COEP, no CSP) unless asked. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.onnx': 'application/octet-stream',
  '.txt': 'text/plain',
};

export interface StaticHost {
  origin: string;
  /**
   * Serves `content` at `path` (e.g. `/index.html`) instead of the file on disk: a new deployment of a few
   * files, without touching the build folder that other specs serve.
   */
  deploy(files: Record<string, string>): void;
  close(): Promise<void>;
}

/**
 * A static host on 127.0.0.1 serving `root` under `base` (`/` or `/repo/`), the way GitHub Pages does: files
 * with a Content-Type and only the `headers` given (none by default). A path outside `root` is a 404.
 */
export async function serveStatic(
  root: string,
  { base = '/', headers = {} }: { base?: string; headers?: Record<string, string> } = {},
): Promise<StaticHost> {
  const deployed = new Map<string, string>();
  const server: Server = createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
    if (!pathname.startsWith(base)) return void res.writeHead(404).end();
    let path = `/${pathname.slice(base.length)}`;
    if (path.endsWith('/')) path += 'index.html';
    const body =
      deployed.get(path) ??
      (await (async () => {
        const file = normalize(join(resolve(root), path));
        if (!file.startsWith(resolve(root) + sep)) return null;
        const info = await stat(file).catch(() => null);
        return info?.isFile() ? readFile(file) : null;
      })());
    if (body === null) return void res.writeHead(404).end();
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    deploy: (files) => {
      for (const [path, content] of Object.entries(files)) deployed.set(path, content);
    },
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        // The browser keeps connections alive; they would hold the server open.
        server.closeAllConnections();
      }),
  };
}
