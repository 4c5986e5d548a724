import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

/**
 * A stand-in for the Hugging Face Hub on 127.0.0.1: serves the embedded models in the Hub's URL layout
 * (/<org>/<name>/resolve/main/<file>), with the headers a cross-origin isolated page needs.
 * Special repositories exercise the failure paths:
 * - lab/corrupt-onnx: every file of tiny-random-llama, but onnx/*.onnx is garbage;
 * - lab/no-q4: tiny-random-llama without its q4 file;
 * - lab/huge-model: tiny-random-llama whose ONNX files claim to be 1 TiB (no browser can hold that);
 * - lab/slow-download: tiny-random-llama whose ONNX files trickle at 4 KiB/s (minutes), to interrupt a download;
 * - anything else unknown: 404.
 */
export interface HubMirror {
  url: string;
  /** Paths requested so far (model files only). */
  requests: string[];
  /** Paths whose download the browser closed before the last byte (a stopped download). */
  abandoned: string[];
  close: () => Promise<void>;
}

const MODELS_DIR = join(process.cwd(), 'public', 'models');

export async function startHubMirror(): Promise<HubMirror> {
  const requests: string[] = [];
  const abandoned: string[] = [];
  const server: Server = createServer((req, res) => {
    const headers = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': '*',
      'Access-Control-Expose-Headers': 'Content-Length, ETag',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, headers).end();
      return;
    }
    const match = /^\/([\w.-]+)\/([\w.-]+)\/resolve\/main\/(.+)$/.exec(decodeURIComponent(req.url ?? ''));
    if (!match) {
      res.writeHead(404, headers).end('Not found');
      return;
    }
    const [, org, name, file] = match as unknown as [string, string, string, string];
    requests.push(`${org}/${name}/${file}`);
    let modelId = name;
    if (org === 'lab' && ['corrupt-onnx', 'no-q4', 'huge-model', 'slow-download'].includes(name))
      modelId = 'tiny-random-llama';
    if (org === 'lab' && name === 'huge-model' && file.endsWith('.onnx')) {
      // Announce 1 TiB, send a little, then hold the connection until the browser gives up on it.
      res.writeHead(200, { ...headers, 'Content-Length': String(2 ** 40) });
      res.write(Buffer.alloc(1024));
      const timer = setTimeout(() => res.destroy(), 30_000);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (org === 'lab' && name === 'slow-download' && file.endsWith('.onnx')) {
      const path = join(MODELS_DIR, modelId, file);
      if (!existsSync(path)) {
        res.writeHead(404, headers).end('Entry not found');
        return;
      }
      const bytes = readFileSync(path);
      res.writeHead(200, {
        ...headers,
        'Content-Length': String(bytes.length),
        'Content-Type': 'application/octet-stream',
      });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(bytes.subarray(sent, sent + 1024));
        sent += 1024;
        if (sent >= bytes.length) {
          clearInterval(timer);
          res.end();
        }
      }, 250);
      res.on('close', () => {
        clearInterval(timer);
        if (!res.writableFinished) abandoned.push(`${org}/${name}/${file}`);
      });
      return;
    }
    if (org === 'lab' && name === 'corrupt-onnx' && file.endsWith('.onnx')) {
      const garbage = Buffer.from('this is not an ONNX protobuf at all '.repeat(40));
      res.writeHead(200, { ...headers, 'Content-Length': garbage.length }).end(garbage);
      return;
    }
    if (org === 'lab' && name === 'no-q4' && file === 'onnx/model_q4.onnx') {
      res.writeHead(404, headers).end('Entry not found');
      return;
    }
    const path = normalize(join(MODELS_DIR, modelId, file));
    if (org !== 'lab' || !path.startsWith(MODELS_DIR) || !existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404, headers).end('Repository not found');
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Length': statSync(path).size,
      'Content-Type': 'application/octet-stream',
    });
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    abandoned,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
