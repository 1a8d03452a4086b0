import { hammingDistance } from '../image/perceptual-hash.js';

/**
 * [Note: near-duplicate rules]
 * Two signals, because each fails where the other holds: the perceptual hash (dHash) is near-exact on
 * resized, re-encoded, brightened and format-converted copies but moves on crops; CLIP similarity survives
 * crops and mirroring but cannot tell two frames of a burst from one photo. Defaults come from real photos
 * (Debian's mate-backgrounds) and their generated variants, measured with the tiny-clip model:
 * copies differ by 0–7 bits (16 for one 90 % crop), unrelated real photos by ≥ 12, but flat, low-texture
 * images (a plain background with a small object) share a hash while CLIP sees different pictures
 * (cosine ≤ 0.73 with tiny-clip), hence the CLIP floor on the hash rule. Real CLIP separates the cosines
 * further than tiny-clip; every threshold is an option.
 */
export interface DuplicateThresholds {
  /** At or under this many differing dHash bits, two photos are copies when CLIP does not object. */
  hashBits: number;
  /** CLIP's objection: under this cosine, even an identical hash is two different low-texture pictures. */
  hashFloorCosine: number;
  /** Up to this many bits, copies when CLIP agrees (cosine ≥ `cosine`): crops, heavy edits. */
  looseHashBits: number;
  /** CLIP cosine for the loose rule and for mirrored copies. */
  cosine: number;
  /** Bursts and bracketing: cosine at least this, taken within `burstSeconds`. */
  similarCosine: number;
  burstSeconds: number;
}

export const DEFAULT_THRESHOLDS: DuplicateThresholds = {
  hashBits: 8,
  hashFloorCosine: 0.75,
  looseHashBits: 20,
  cosine: 0.93,
  similarCosine: 0.9,
  burstSeconds: 30,
};

export interface PairFacts {
  cosine: number;
  dhashA: string | null;
  dhashB: string | null;
  takenA: string | null;
  takenB: string | null;
}

export type PairKind = 'near' | 'mirrored' | 'similar' | 'unrelated';

export function classifyPair(p: PairFacts, t: DuplicateThresholds): PairKind {
  if (p.dhashA && p.dhashB) {
    const bits = hammingDistance(p.dhashA, p.dhashB);
    if (bits <= t.hashBits && p.cosine >= t.hashFloorCosine) return 'near';
    if (bits <= t.looseHashBits && p.cosine >= t.cosine) return 'near';
    if (p.cosine >= t.cosine && hammingDistance(p.dhashA, mirroredHash(p.dhashB)) <= t.hashBits) return 'mirrored';
  }
  const seconds = secondsApart(p.takenA, p.takenB);
  if (seconds !== undefined && seconds <= t.burstSeconds && p.cosine >= t.similarCosine) return 'similar';
  return 'unrelated';
}

/**
 * The dHash of the left-right mirror, derived from the hash: mirroring reverses each row and swaps every
 * "left brighter than right" comparison, so each row's 8 bits are reversed and inverted (ties aside).
 */
export function mirroredHash(hex: string): string {
  let out = '';
  for (let i = 0; i < 16; i += 2) {
    const byte = parseInt(hex.slice(i, i + 2), 16);
    let rev = 0;
    for (let b = 0; b < 8; b++) rev |= ((byte >> b) & 1) << (7 - b);
    out += (~rev & 0xff).toString(16).padStart(2, '0');
  }
  return out;
}

function secondsApart(a: string | null, b: string | null): number | undefined {
  if (!a || !b) return undefined;
  // Both are camera-local times without zone: compare them as if UTC, which preserves their difference.
  const ta = Date.parse(`${a}Z`);
  const tb = Date.parse(`${b}Z`);
  return Number.isNaN(ta) || Number.isNaN(tb) ? undefined : Math.abs(ta - tb) / 1000;
}
