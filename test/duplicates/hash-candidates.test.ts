import { describe, expect, it } from 'vitest';
import { hashCandidatePairs } from '../../app/duplicates/hash-candidates.js';
import { hammingDistance } from '../../app/image/perceptual-hash.js';

/** Deterministic pseudo-random 64-bit hashes, with planted near copies at 0–8 flipped bits. */
function hashes(count: number): { id: number; dhash: string }[] {
  let seed = 12345; // mulberry32
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: { id: number; dhash: string }[] = [];
  for (let id = 1; out.length < count; id++) {
    const bits = Array.from({ length: 64 }, () => (rand() < 0.5 ? 1 : 0));
    out.push({ id, dhash: toHex(bits) });
    if (id % 5 === 0) {
      const flips = Math.floor(rand() * 9);
      const copy = [...bits];
      for (let f = 0; f < flips; f++) copy[Math.floor(rand() * 64)]! ^= 1;
      out.push({ id: ++id, dhash: toHex(copy) });
    }
  }
  return out;
}

function toHex(bits: number[]): string {
  let hex = '';
  for (let i = 0; i < 64; i += 4) hex += (bits[i]! * 8 + bits[i + 1]! * 4 + bits[i + 2]! * 2 + bits[i + 3]!).toString(16);
  return hex;
}

describe('hash candidate pairs (multi-index hashing)', () => {
  it('finds exactly the pairs within the distance that comparing all pairs finds', () => {
    const photos = hashes(1500);
    for (const maxBits of [0, 3, 8]) {
      const brute: string[] = [];
      for (let i = 0; i < photos.length; i++)
        for (let j = i + 1; j < photos.length; j++)
          if (hammingDistance(photos[i]!.dhash, photos[j]!.dhash) <= maxBits) brute.push(`${photos[i]!.id}:${photos[j]!.id}`);
      const found = hashCandidatePairs(photos, maxBits).map(([a, b]) => `${a}:${b}`);
      expect(found.sort()).toEqual(brute.sort());
      if (maxBits === 8) expect(brute.length).toBeGreaterThan(200);
    }
  });
});
