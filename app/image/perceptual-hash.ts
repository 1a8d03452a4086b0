import sharp from 'sharp';
import type { DecodedPhoto } from './decode.js';

/**
 * 64-bit difference hash (dHash): the image shrunk to 9×8 grey pixels, one bit per horizontal neighbour pair
 * (left brighter than right). Robust to resizing, re-encoding and exposure changes; a mirrored copy gets a
 * different hash (near-duplicate search pairs it with CLIP similarity instead). Hex, 16 digits.
 */
export async function differenceHash(photo: DecodedPhoto): Promise<string> {
  const grey = await sharp(photo.pixels, { raw: { width: photo.width, height: photo.height, channels: 3 } })
    .greyscale()
    .resize(9, 8, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  let hex = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) byte = (byte << 1) | (grey[y * 9 + x]! > grey[y * 9 + x + 1]! ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** Number of differing bits between two dHashes. */
export function hammingDistance(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i < 16; i += 2) {
    let x = parseInt(a.slice(i, i + 2), 16) ^ parseInt(b.slice(i, i + 2), 16);
    while (x) {
      n += x & 1;
      x >>= 1;
    }
  }
  return n;
}

/**
 * Sharpness as the variance of the Laplacian of the grey working image (at most 448 px on the short side,
 * so shots of one scene at different sizes compare fairly). Used to suggest which of a burst to keep.
 */
export async function laplacianVariance(photo: DecodedPhoto): Promise<number> {
  const { data, info } = await sharp(photo.pixels, { raw: { width: photo.width, height: photo.height, channels: 3 } })
    .greyscale()
    .convolve({ width: 3, height: 3, kernel: [0, 1, 0, 1, -4, 1, 0, 1, 0], offset: 128 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  let sum = 0;
  let sumSq = 0;
  const n = info.width * info.height;
  for (let i = 0; i < n; i++) {
    const v = data[i]! - 128;
    sum += v;
    sumSq += v * v;
  }
  return Math.round((sumSq / n - (sum / n) ** 2) * 100) / 100;
}
