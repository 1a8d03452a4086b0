import type { RgbImage } from './box-average.js';

/**
 * Perceptual hash and sharpness, computed in plain JS from the grid thumbnail's pixels (224 px on the short
 * side, see [Note: hashes from the grid thumbnail]): a sharp pipeline per measure cost more in setup than the
 * arithmetic (decode+preprocess went
 * from 60 to 33 photos/s with two extra pipelines; in JS both take ~2 ms).
 */
export function greyPlane(photo: RgbImage): Float32Array {
  const { pixels, width, height } = photo;
  const grey = new Float32Array(width * height);
  for (let i = 0, p = 0; i < grey.length; i++, p += 3) grey[i] = 0.299 * pixels[p]! + 0.587 * pixels[p + 1]! + 0.114 * pixels[p + 2]!;
  return grey;
}

/**
 * 64-bit difference hash (dHash): the grey image box-averaged to 9×8 cells, one bit per horizontal
 * neighbour pair (left brighter than right). Robust to resizing, re-encoding and exposure changes; a mirrored
 * copy gets the row-reversed, inverted hash (see duplicates/pair-rules.ts). Hex, 16 digits.
 */
export function differenceHash(grey: Float32Array, width: number, height: number): string {
  return perceptualHash(grey, width, height).dhash;
}

/** Two cells closer than this (grey levels of 255) give a bit that noise, re-encoding or a tint may flip. */
const STABLE_MARGIN = 2;

/**
 * The dHash and how many of its 64 bits are stable: neighbour cells that differ by more than STABLE_MARGIN.
 * A textured photo has most bits stable, so a matching hash means the same picture; a flat image (a plain
 * background with a small subject) has few, and two different flat pictures share a hash by chance.
 * Measured on real photos and their variants against tiny-clip's synthetic scenes: copies ≥ 15 stable bits,
 * the flat scenes that collided ≤ 9 (see [Note: near-duplicate rules]).
 */
export function perceptualHash(grey: Float32Array, width: number, height: number): { dhash: string; stableBits: number } {
  const cells = new Float64Array(9 * 8);
  for (let cy = 0; cy < 8; cy++) {
    const y0 = Math.floor((cy * height) / 8);
    const y1 = Math.max(y0 + 1, Math.floor(((cy + 1) * height) / 8));
    for (let cx = 0; cx < 9; cx++) {
      const x0 = Math.floor((cx * width) / 9);
      const x1 = Math.max(x0 + 1, Math.floor(((cx + 1) * width) / 9));
      let sum = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += grey[y * width + x]!;
      cells[cy * 9 + cx] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  let hex = '';
  let stableBits = 0;
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) {
      const left = cells[y * 9 + x]!;
      const right = cells[y * 9 + x + 1]!;
      byte = (byte << 1) | (left > right ? 1 : 0);
      if (Math.abs(left - right) > STABLE_MARGIN) stableBits++;
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return { dhash: hex, stableBits };
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
 * Sharpness as the variance of the 4-neighbour Laplacian of the grey grid thumbnail (a fixed size, so shots
 * of one scene at different sizes compare fairly). Used to suggest which frame of a burst to keep.
 */
export function laplacianVariance(grey: Float32Array, width: number, height: number): number {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const v = grey[i - 1]! + grey[i + 1]! + grey[i - width]! + grey[i + width]! - 4 * grey[i]!;
      sum += v;
      sumSq += v * v;
      n++;
    }
  }
  if (n === 0) return 0;
  return Math.round((sumSq / n - (sum / n) ** 2) * 100) / 100;
}
