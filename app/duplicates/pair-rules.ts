import { hammingDistance } from '../image/perceptual-hash.js';

/**
 * [Note: near-duplicate rules]
 * Two signals, because each fails where the other holds: the perceptual hash (dHash) is near-exact on
 * resized, re-encoded, brightened and format-converted copies but moves on crops; CLIP similarity survives
 * crops and mirroring but cannot tell two frames of a burst from one photo, and a weak model (tiny-clip) moves
 * a lot on a brightened copy (cosine 0.73). Defaults come from real photos (Debian's mate-backgrounds) and their
 * generated variants among tiny-clip's synthetic scenes (scripted in test/duplicates/near-duplicates.test.ts):
 * - copies differ by 0–7 hash bits (15–17 for a 90 % crop), unrelated real photos by ≥ 12 — but unrelated
 *   pairs with 5–8 bits exist, at cosine ≤ 0.48, hence a CLIP floor (0.6) even on a matching hash;
 * - a hash only identifies a picture when it has texture: copies have ≥ 15 stable bits (neighbour cells
 *   differing by more than noise), while flat scenes (plain background, small subject) have ≤ 9 and collide
 *   with each other at up to cosine 0.93. For a flat hash, CLIP has to agree as for the loose rule.
 * Real CLIP separates the cosines further than tiny-clip; every threshold is an option.
 */
export interface DuplicateThresholds {
  /** At or under this many differing dHash bits, two textured photos are copies when CLIP does not object. */
  hashBits: number;
  /** CLIP's objection: under this cosine, even an identical hash is two different pictures. */
  hashFloorCosine: number;
  /** A hash with fewer stable bits than this (a flat image) needs CLIP to agree at `cosine`. */
  minStableBits: number;
  /** The floor for photos hashed before stability was recorded (stricter: their flatness is unknown). */
  unknownStabilityFloorCosine: number;
  /** Up to this many bits, copies when CLIP agrees (cosine ≥ `cosine`): crops, heavy edits. */
  looseHashBits: number;
  /** CLIP cosine for the loose rule, for flat hashes and for mirrored copies. */
  cosine: number;
  /** Bursts and bracketing: cosine at least this, taken within `burstSeconds`. */
  similarCosine: number;
  burstSeconds: number;
}

export const DEFAULT_THRESHOLDS: DuplicateThresholds = {
  hashBits: 8,
  hashFloorCosine: 0.6,
  minStableBits: 12,
  unknownStabilityFloorCosine: 0.75,
  looseHashBits: 20,
  cosine: 0.93,
  similarCosine: 0.9,
  burstSeconds: 30,
};

export interface PairFacts {
  cosine: number;
  dhashA: string | null;
  dhashB: string | null;
  /** Stable bits of each hash; null when unknown (hashed by an older version). */
  stableA: number | null;
  stableB: number | null;
  takenA: string | null;
  takenB: string | null;
}

export type PairKind = 'near' | 'mirrored' | 'similar' | 'unrelated';

export function classifyPair(p: PairFacts, t: DuplicateThresholds): PairKind {
  if (p.dhashA && p.dhashB) {
    const bits = hammingDistance(p.dhashA, p.dhashB);
    if (bits <= t.hashBits && p.cosine >= hashFloor(p, t)) return 'near';
    if (bits <= t.looseHashBits && p.cosine >= t.cosine) return 'near';
    if (p.cosine >= t.cosine && hammingDistance(p.dhashA, mirroredHash(p.dhashB)) <= t.hashBits) return 'mirrored';
  }
  const seconds = secondsApart(p.takenA, p.takenB);
  if (seconds !== undefined && seconds <= t.burstSeconds && p.cosine >= t.similarCosine) return 'similar';
  return 'unrelated';
}

/** How much CLIP must agree before a matching hash counts: little for textured photos, fully for flat ones. */
export function hashFloor(p: Pick<PairFacts, 'stableA' | 'stableB'>, t: DuplicateThresholds): number {
  if (p.stableA === null || p.stableB === null) return t.unknownStabilityFloorCosine;
  return Math.min(p.stableA, p.stableB) >= t.minStableBits ? t.hashFloorCosine : t.cosine;
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
