import { loadSharp } from '../util/heavy-modules.js';
import type { ImagePreprocessing, Interpolation } from '../model/pack-types.js';
import { shortestSideTo, type DecodedPhoto } from './decode.js';

/** The libvips kernel for a pack's interpolation (PIL's names). */
export const KERNEL: Record<Interpolation, 'cubic' | 'linear' | 'nearest'> = { bicubic: 'cubic', bilinear: 'linear', nearest: 'nearest' };

/**
 * CLIP's crop from a decoded photo: shortest side to `resizeShortestEdge` (bicubic, antialiased when shrinking,
 * as PIL does), then a centered square of `cropSize` at `(w - size) // 2`. Returns 8-bit RGB, row-major.
 */
export async function clipCrop(photo: DecodedPhoto, pp: ImagePreprocessing): Promise<Buffer> {
  // The resized size comes from the original's size, as the reference computes it: the working image's own
  // aspect is rounded (426 × 341 for 1280 × 1024), and truncating from it gives 279 px where the reference has
  // 280, half a pixel of shift that fine texture shows (4.7 grey levels on a meadow, measured).
  const [w, h] = shortestSideTo(photo.sourceWidth, photo.sourceHeight, pp.resizeShortestEdge, true);
  const size = pp.cropSize;
  // A photo smaller than the crop after the resize cannot happen (resize targets the short side), but an
  // edge > short side crop would: pad with black like torchvision's CenterCrop does.
  const left = Math.floor((w - size) / 2);
  const top = Math.floor((h - size) / 2);
  // The working image is already the model's resize (see [Note: decode once]): the crop is a copy of rows.
  if (w === photo.width && h === photo.height && left >= 0 && top >= 0) return copyCrop(photo, left, top, size);
  const sharp = await loadSharp(); // see [Note: heavy modules on first use]
  let pipeline = sharp(photo.pixels, { raw: { width: photo.width, height: photo.height, channels: 3 } });
  if (w !== photo.width || h !== photo.height) pipeline = pipeline.resize(w, h, { kernel: KERNEL[pp.interpolation], fit: 'fill' });
  if (left < 0 || top < 0) {
    pipeline = pipeline.extend({
      left: Math.max(0, -left), right: Math.max(0, size - w + Math.max(0, left)),
      top: Math.max(0, -top), bottom: Math.max(0, size - h + Math.max(0, top)),
      background: { r: 0, g: 0, b: 0 },
    });
  }
  return pipeline
    .extract({ left: Math.max(0, left), top: Math.max(0, top), width: size, height: size })
    .raw()
    .toBuffer();
}

/** The `size` square at (left, top) of an RGB image, row by row. */
function copyCrop(photo: DecodedPhoto, left: number, top: number, size: number): Buffer {
  const crop = Buffer.allocUnsafe(size * size * 3);
  const row = size * 3;
  for (let y = 0; y < size; y++) {
    const start = ((top + y) * photo.width + left) * 3;
    photo.pixels.copy(crop, y * row, start, start + row);
  }
  return crop;
}

/** Packs RGB crops into one NCHW float32 batch: x * rescale, then (x - mean) / std per channel. */
export function cropsToTensorData(crops: Buffer[], pp: ImagePreprocessing): Float32Array {
  const plane = pp.cropSize * pp.cropSize;
  const out = new Float32Array(crops.length * 3 * plane);
  const scale = [0, 1, 2].map((c) => pp.rescale / pp.std[c]!);
  const offset = [0, 1, 2].map((c) => pp.mean[c]! / pp.std[c]!);
  crops.forEach((crop, n) => {
    const base = n * 3 * plane;
    for (let c = 0; c < 3; c++) {
      const s = scale[c]!;
      const o = offset[c]!;
      const dst = base + c * plane;
      for (let i = 0; i < plane; i++) out[dst + i] = crop[i * 3 + c]! * s - o;
    }
  });
  return out;
}
