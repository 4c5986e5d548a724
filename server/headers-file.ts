/**
 * Reads the headers a static host would send for every page from a Netlify/Cloudflare-style `_headers` file
 * (the lab ships one in public/, copied to dist/): the block under `/*`, one `Name: value` per indented line.
 * The room sends the same, so the lab behaves alike on a static host and in a room.
 */

/** The `/*` block of a `_headers` file as a header map; other paths' blocks and comments are ignored. */
export function parseHeadersFile(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let inAll = false;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      inAll = line.trim() === '/*';
      continue;
    }
    if (!inAll) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (/^[A-Za-z0-9-]+$/.test(name) && value) headers[name] = value;
  }
  return headers;
}
