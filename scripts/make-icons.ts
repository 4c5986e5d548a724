/**
 * Draws the lab's icon, a latency chart in miniature: one tall prefill bar (orange) and a row of short decode
 * bars (white) on the lab's blue, into public/icons/ as SVG and PNG (192, 512, and a maskable 512 whose
 * drawing stays inside the central 80 % safe zone). Run `npx tsx scripts/make-icons.ts`; the output is tracked.
 * PNGs are rasterised here (4×4 supersampling, zlib from Node) so no image tool or browser is needed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];
interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
  r: number;
  fill: Rgb;
}

const BLUE: Rgb = [0x1f, 0x4e, 0x79];
const ORANGE: Rgb = [0xd9, 0x82, 0x2b];
const WHITE: Rgb = [0xff, 0xff, 0xff];

/** The drawing on a 100 × 100 canvas; `inset` shrinks the bars towards the centre (maskable safe zone). */
function shapes(maskable: boolean): Rect[] {
  const background: Rect = { x: 0, y: 0, w: 100, h: 100, r: maskable ? 0 : 20, fill: BLUE };
  const scale = maskable ? 0.75 : 1;
  const at = (x: number, y: number, w: number, h: number, fill: Rgb): Rect => ({
    x: 50 + (x - 50) * scale,
    y: 50 + (y - 50) * scale,
    w: w * scale,
    h: h * scale,
    r: 2.5 * scale,
    fill,
  });
  return [
    background,
    at(20, 22, 16, 58, ORANGE),
    ...[0, 1, 2, 3].map((i) => at(42 + i * 10, 62, 7, 18, WHITE)),
  ];
}

const hex = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

function svg(rects: Rect[]): string {
  const body = rects
    .map(
      (s) =>
        `  <rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" rx="${s.r}" fill="${hex(s.fill)}"/>`,
    )
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">\n${body}\n</svg>\n`;
}

/** Whether a point lies inside a rounded rectangle. */
function inside(s: Rect, px: number, py: number): boolean {
  if (px < s.x || px > s.x + s.w || py < s.y || py > s.y + s.h) return false;
  const cx = Math.min(Math.max(px, s.x + s.r), s.x + s.w - s.r);
  const cy = Math.min(Math.max(py, s.y + s.r), s.y + s.h - s.r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= s.r ** 2;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGBA PNG of the drawing at `size` pixels, anti-aliased by 4 × 4 samples per pixel. */
function png(rects: Rect[], size: number): Buffer {
  const SS = 4;
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const sum: [number, number, number, number] = [0, 0, 0, 0];
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const px = ((x + (sx + 0.5) / SS) / size) * 100;
          const py = ((y + (sy + 0.5) / SS) / size) * 100;
          // The topmost shape containing the sample paints it.
          const hit = rects.findLast((s) => inside(s, px, py));
          if (!hit) continue;
          sum[0] += hit.fill[0];
          sum[1] += hit.fill[1];
          sum[2] += hit.fill[2];
          sum[3] += 255;
        }
      }
      const n = SS * SS;
      const alpha = sum[3] / n;
      const at = y * (size * 4 + 1) + 1 + x * 4;
      // Colour averaged over covered samples only (straight alpha), coverage in alpha.
      const covered = sum[3] / 255;
      for (let c = 0; c < 3; c++) rows[at + c] = covered ? Math.round(sum[c as 0 | 1 | 2] / covered) : 0;
      rows[at + 3] = Math.round(alpha);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ]);
}

const out = process.argv[2] ?? 'public/icons';
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'icon.svg'), svg(shapes(false)));
writeFileSync(join(out, 'icon-192.png'), png(shapes(false), 192));
writeFileSync(join(out, 'icon-512.png'), png(shapes(false), 512));
writeFileSync(join(out, 'icon-maskable-512.png'), png(shapes(true), 512));
writeFileSync(join(out, 'apple-touch-icon.png'), png(shapes(true), 180));
console.log(`icons written to ${out}`);
