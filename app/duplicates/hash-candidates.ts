/**
 * Candidate pairs by perceptual hash, for the copies CLIP's neighbour search misses: a weak model can move a
 * brightened copy out of a photo's nearest neighbours while its dHash stays within a few bits.
 * Multi-index hashing: the 64 bits are split into 4 bands of 16; two hashes within `maxBits` bits differ in at
 * most floor(maxBits / 4) bits of some band (pigeonhole), so probing each band's bucket and its neighbours
 * within that radius finds every such pair without comparing all pairs. Buckets are flat typed arrays
 * (counting sort per band), and a pair is reported only from the first band that finds it, so no set of
 * seen pairs is needed.
 */
const BANDS = 4;
const BUCKETS = 1 << 16;

export function hashCandidatePairs(photos: readonly { id: number; dhash: string }[], maxBits: number): [number, number][] {
  const radius = Math.floor(maxBits / BANDS);
  const probes = flipMasks(radius);
  const n = photos.length;
  const band = new Uint16Array(n * BANDS);
  photos.forEach((p, i) => {
    for (let b = 0; b < BANDS; b++) band[i * BANDS + b] = parseInt(p.dhash.slice(b * 4, b * 4 + 4), 16);
  });
  const index = Array.from({ length: BANDS }, (_, b) => bucketIndex(band, b, n));

  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < BANDS; b++) {
      const { start, items } = index[b]!;
      const value = band[i * BANDS + b]!;
      for (const mask of probes) {
        const bucket = value ^ mask;
        for (let k = start[bucket]!; k < start[bucket + 1]!; k++) {
          const j = items[k]!;
          if (j <= i || !firstBandWithin(band, i, j, b, radius)) continue;
          if (distance(band, i, j) <= maxBits) pairs.push([photos[i]!.id, photos[j]!.id]);
        }
      }
    }
  }
  return pairs;
}

/** Photo indexes grouped by their value in one band: items[start[v] .. start[v+1]) hold value v. */
function bucketIndex(band: Uint16Array, b: number, n: number): { start: Uint32Array; items: Uint32Array } {
  const start = new Uint32Array(BUCKETS + 1);
  for (let i = 0; i < n; i++) start[band[i * BANDS + b]! + 1]!++;
  for (let v = 0; v < BUCKETS; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, BUCKETS);
  const items = new Uint32Array(n);
  for (let i = 0; i < n; i++) items[fill[band[i * BANDS + b]!]!++] = i;
  return { start, items };
}

/** True when `b` is the first band in which i and j are within the probe radius (so each pair is found once). */
function firstBandWithin(band: Uint16Array, i: number, j: number, b: number, radius: number): boolean {
  for (let e = 0; e < b; e++) if (popcount16(band[i * BANDS + e]! ^ band[j * BANDS + e]!) <= radius) return false;
  return true;
}

function distance(band: Uint16Array, i: number, j: number): number {
  let d = 0;
  for (let b = 0; b < BANDS; b++) d += popcount16(band[i * BANDS + b]! ^ band[j * BANDS + b]!);
  return d;
}

function popcount16(x: number): number {
  x -= (x >> 1) & 0x5555;
  x = (x & 0x3333) + ((x >> 2) & 0x3333);
  x = (x + (x >> 4)) & 0x0f0f;
  return (x + (x >> 8)) & 0x1f;
}

/** Every 16-bit mask with at most `radius` bits set (0 first). */
function flipMasks(radius: number): number[] {
  if (radius > 2) throw new Error('hash candidate radius above 2 is not supported (hashBits ≤ 11)');
  const masks = [0];
  if (radius >= 1) for (let i = 0; i < 16; i++) masks.push(1 << i);
  if (radius >= 2) for (let i = 0; i < 16; i++) for (let j = i + 1; j < 16; j++) masks.push((1 << i) | (1 << j));
  return masks;
}
