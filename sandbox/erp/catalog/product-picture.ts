import { PNG } from 'pngjs';
import type { ProductKind } from './dictionary.js';
import { hashSeed } from './prng.js';

/**
 * The bytes behind a generated product's picture file, so the emulated ERPs serve real images (the 1C attached-file
 * register, CommerceML import_files, the file drop). A flat drawing per kind of goods on a colour taken from the
 * SKU: cheap to make on demand for any of 100k products, different enough to tell tiles apart, a valid PNG.
 */

const SIZE = 200;

type Rgb = [number, number, number];

function hsl(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** Is (x, y) inside the kind's silhouette, for picture number k (a second view of the same product is turned). */
function inside(kind: ProductKind, k: number, x: number, y: number): boolean {
  const c = SIZE / 2;
  const [u, v] = k % 2 === 1 ? [y, x] : [x, y];
  const dx = u - c;
  const dy = v - c;
  switch (kind) {
    case 'machine': // a body on two wheels
      return (Math.abs(dx) < 60 && dy > -40 && dy < 20) || (dx + 35) ** 2 + (dy - 35) ** 2 < 400 || (dx - 35) ** 2 + (dy - 35) ** 2 < 400;
    case 'tool': // a handle and a head
      return (Math.abs(dx) < 10 && dy > -20 && dy < 70) || (Math.abs(dy + 40) < 22 && Math.abs(dx) < 55);
    case 'part': // a gear-like ring
      return dx * dx + dy * dy < 4900 && dx * dx + dy * dy > 900 && (Math.abs(dx) > 12 || Math.abs(dy) > 12 || dx * dx + dy * dy < 2500);
    case 'consumable': // a can
      return Math.abs(dx) < 38 && Math.abs(dy) < 62 && !(dy < -45 && Math.abs(dx) > 18);
    case 'accessory': // a diamond
      return Math.abs(dx) + Math.abs(dy) < 70;
  }
}

export function renderProductPicture(sku: string, kind: ProductKind, k: number): Buffer {
  const hue = hashSeed(sku) % 360;
  const back = hsl(hue, 0.45, 0.92);
  const ink = hsl((hue + 20 * k) % 360, 0.55, 0.42);
  const png = new PNG({ width: SIZE, height: SIZE, colorType: 2 });
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const i = (y * SIZE + x) << 2;
      const [r, g, b] = inside(kind, k, x, y) ? ink : back;
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png, { colorType: 2 });
}
