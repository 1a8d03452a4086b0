import { DEFAULT_VERIFY, type VerifyThresholds } from './verify-pair.js';

/**
 * [Note: near-duplicate rules]
 * Who proposes and who decides. Candidates come from two cheap sources that may be wrong: the CLIP model's
 * nearest neighbours (on centred vectors, so the floor means the same on any model's score scale, see
 * find-duplicates.ts) and matching 64-bit dHashes (hash-candidates.ts). Every candidate pair is then
 * decided from the photos' pixels alone ([Note: pair verification]): `near` (the same picture: copies
 * pre-ticked for the Trash), `edit` (the same shot processed differently: shown, nothing pre-ticked) or
 * `different`. CLIP's cosine decides only bursts (`similar`), which are never trashed unseen. Two camera
 * originals taken at different times are never copies of each other, however alike their pixels: a burst.
 */
export interface DuplicateThresholds {
  /** dHash candidates: photos within this many of 64 bits are verified even when CLIP does not pair them. */
  hashBits: number;
  /**
   * CLIP candidates: centred cosine at least this (among each photo's k nearest). Copies score ≥ 0.7 with
   * tiny-clip (a brightened copy, the weakest), unrelated photos of one subject ≈ 0.4 on centred vectors;
   * verification decides, so the floor only bounds the work.
   */
  candidateCosine: number;
  /** Bursts and bracketing: raw CLIP cosine at least this, taken within `burstSeconds`. */
  similarCosine: number;
  burstSeconds: number;
  verify: VerifyThresholds;
}

export const DEFAULT_THRESHOLDS: DuplicateThresholds = {
  hashBits: 8,
  candidateCosine: 0.5,
  similarCosine: 0.9,
  burstSeconds: 30,
  verify: DEFAULT_VERIFY,
};

export interface BurstFacts {
  cosine: number;
  takenA: string | null;
  takenB: string | null;
}

/** Two frames of one burst or bracket: taken within seconds of each other, and alike by CLIP. */
export function isBurst(p: BurstFacts, t: DuplicateThresholds): boolean {
  const seconds = secondsApart(p.takenA, p.takenB);
  return seconds !== undefined && seconds <= t.burstSeconds && p.cosine >= t.similarCosine;
}

/** Both carry a capture time and the times differ: two shots, not a shot and its copy (copies keep EXIF). */
export function takenApart(a: string | null, b: string | null): boolean {
  const seconds = secondsApart(a, b);
  return seconds !== undefined && seconds > 0;
}

/**
 * The dHash of the left-right mirror, derived from the hash: mirroring reverses each row and swaps every
 * "left brighter than right" comparison, so each row's 8 bits are reversed and inverted (ties aside).
 * Mirrored copies are proposed by their mirrored hash as well as by CLIP.
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
