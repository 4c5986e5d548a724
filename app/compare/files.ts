/**
 * A PNG of a chart drawn from its SVG (the chart's SVG is painted onto a canvas with its title and legend, since
 * recharts draws the legend in HTML). Downloads themselves are ui/download.ts.
 */

export interface LegendItem {
  name: string;
  color: string;
}

/** Renders the first chart SVG inside `container` to a PNG blob at twice its size. */
export async function chartToPng(
  container: HTMLElement,
  title: string,
  legend: readonly LegendItem[],
): Promise<Blob> {
  const svg = container.querySelector('svg.recharts-surface');
  if (!(svg instanceof SVGSVGElement)) throw new Error('The chart has not been drawn yet.');
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  // Through the CSSOM: a style attribute set as markup is blocked by the CSP (style-src 'self').
  clone.style.fontFamily = 'system-ui, sans-serif';
  clone.style.fontSize = '12px';
  clone.style.background = '#fff';
  const source = new XMLSerializer().serializeToString(clone);
  const image = new Image();
  const url = URL.createObjectURL(new Blob([source], { type: 'image/svg+xml' }));
  try {
    image.src = url;
    await image.decode();
  } finally {
    URL.revokeObjectURL(url);
  }
  const scale = 2;
  const header = 34 + Math.ceil(legend.length / 3) * 18;
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil((height + header) * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw to a canvas.');
  ctx.scale(scale, scale);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height + header);
  ctx.fillStyle = '#1d1f23';
  ctx.font = '600 14px system-ui, sans-serif';
  ctx.fillText(title, 12, 20);
  ctx.font = '12px system-ui, sans-serif';
  legend.forEach((item, i) => {
    const x = 12 + (i % 3) * (width / 3);
    const y = 36 + Math.floor(i / 3) * 18;
    ctx.fillStyle = item.color;
    ctx.fillRect(x, y - 9, 10, 10);
    ctx.fillStyle = '#1d1f23';
    ctx.fillText(item.name, x + 16, y);
  });
  ctx.drawImage(image, 0, header, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be made.'))),
      'image/png',
    ),
  );
}
