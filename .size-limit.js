// The first-load budget, checked by `npm run size` (part of `npm test`, after the build): the JavaScript that
// the built index.html loads before anything is clicked, i.e. its entry script and every chunk it preloads
// (the entry's static imports). Views and heavy libraries are loaded later and are not counted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const outDir = process.env.LAB_OUT_DIR ?? 'dist';
const html = readFileSync(join(outDir, 'index.html'), 'utf8');
const base = (html.match(/<script type="module"[^>]*src="([^"]*?)assets\//) ?? [])[1] ?? '/';
const urls = [
  ...html.matchAll(/<script type="module"[^>]*src="([^"]+\.js)"/g),
  ...html.matchAll(/<link rel="modulepreload"[^>]*href="([^"]+\.js)"/g),
].map((m) => m[1]);
if (urls.length === 0) throw new Error(`${outDir}/index.html loads no module script: build first`);

export default [
  {
    name: 'first load: index.html entry + static imports (JS, gzip)',
    path: urls.map((url) => join(outDir, url.slice(base.length))),
    limit: '200 KB',
    gzip: true,
  },
];
