/**
 * [Note: calibration images]
 * A model's score geometry (where its image vectors sit, the "cone" every CLIP image vector shares) is measured
 * on images that belong to no library: a fixed set drawn here, the same pixels on every machine, embedded once
 * per pack (see [Note: model calibration]). They are deliberately generic: flat fields, a horizon between two
 * colours, smooth two-colour gradients at any angle, some with one to three filled blobs (ellipses, rotated
 * rectangles, irregular polygons), all colours drawn uniformly. None depicts a scene or an object anyone
 * searches for; what they share with every photo is only being an image.
 *
 * They are drawn straight at the model's crop size in plain code, not through sharp: a text search that finds
 * no cached calibration computes it, and a search loads no image library (see [Note: heavy modules on first
 * use]). The generator is a seeded xorshift, so the set is part of the code: changing it changes every pack's
 * calibration, and CALIBRATION_IMAGES_VERSION, which the cache is keyed by, must change with it.
 */
export const CALIBRATION_IMAGES_VERSION = 1;
/**
 * How many images: the image mean then has a standard error of about 1/√128 ≈ 9 % of the images' own spread
 * around it, small against the common component it measures (≈ 0.8 of a CLIP-like vector's length), and the
 * first calibration of a ViT-B/32 pack stays a few seconds of CPU.
 */
export const CALIBRATION_IMAGE_COUNT = 128;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

type Rgb = [number, number, number];
const colour = (r: () => number): Rgb => [Math.floor(r() * 256), Math.floor(r() * 256), Math.floor(r() * 256)];

/** A filled shape as an inside test on pixel centres, in units of the image side. */
function blob(r: () => number): { fill: Rgb; inside: (x: number, y: number) => boolean } {
  const fill = colour(r);
  const cx = r();
  const cy = r();
  const size = 0.08 + r() * 0.25;
  switch (Math.floor(r() * 3)) {
    case 0: {
      const rx = size;
      const ry = size * (0.5 + r());
      return { fill, inside: (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1 };
    }
    case 1: {
      const a = r() * (Math.PI / 2);
      const w = size;
      const h = (size * (1 + r())) / 2;
      const [c, s] = [Math.cos(a), Math.sin(a)];
      return { fill, inside: (x, y) => Math.abs((x - cx) * c + (y - cy) * s) <= w && Math.abs(-(x - cx) * s + (y - cy) * c) <= h };
    }
    default: {
      const n = 3 + Math.floor(r() * 5);
      const points = Array.from({ length: n }, (_, k) => {
        const a = (2 * Math.PI * k) / n + r() * 0.6;
        const d = size * (0.5 + r() * 0.7);
        return [cx + d * Math.cos(a), cy + d * Math.sin(a)] as const;
      });
      return {
        fill,
        inside: (x, y) => {
          // Even-odd rule.
          let inside = false;
          for (let i = 0, j = n - 1; i < n; j = i++) {
            const [xi, yi] = points[i]!;
            const [xj, yj] = points[j]!;
            if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
          }
          return inside;
        },
      };
    }
  }
}

/** One calibration image as RGB bytes, `size` × `size`, row-major (the layout of a model crop). */
export function calibrationImage(index: number, size: number): Buffer {
  const r = rng(0x5eed + index * 7919);
  const kind = index % 4;
  const a = colour(r);
  const b = colour(r);
  const angle = r() * Math.PI;
  const horizon = 0.3 + r() * 0.4;
  // Half of the images carry 1-3 blobs, so the set spans plain fields and fields with something on them.
  const blobs = kind >= 2 || index % 3 === 0 ? Array.from({ length: 1 + Math.floor(r() * 3) }, () => blob(r)) : [];
  const out = Buffer.alloc(size * size * 3);
  const [dx, dy] = [Math.cos(angle), Math.sin(angle)];
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      let c: Rgb;
      if (kind === 0) c = a;
      else if (kind === 1) c = y < horizon ? a : b;
      else {
        // Position along the gradient's axis through the centre, 0 at one corner's side and 1 at the other's.
        const t = Math.min(1, Math.max(0, 0.5 + ((x - 0.5) * dx + (y - 0.5) * dy) / (Math.abs(dx) + Math.abs(dy))));
        c = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
      }
      for (const s of blobs) if (s.inside(x, y)) c = s.fill;
      const o = (py * size + px) * 3;
      out[o] = Math.round(c[0]);
      out[o + 1] = Math.round(c[1]);
      out[o + 2] = Math.round(c[2]);
    }
  }
  return out;
}

/** The calibration images as model crops (RGB, `cropSize` square), in a fixed order. */
export function calibrationCrops(cropSize: number, count = CALIBRATION_IMAGE_COUNT): Buffer[] {
  return Array.from({ length: count }, (_, i) => calibrationImage(i, cropSize));
}
