import { alignPair, measureAligned, type AlignedEvidence } from './align-signatures.js';
import type { SignatureView } from './signature-view.js';

/**
 * [Note: pair verification]
 * Whether two photos show the same picture is decided from their pixels alone (their picture signatures,
 * [Note: picture signature]), never from the CLIP model, which only proposes candidates: on a user's machine
 * it may be any model, and a weak one scores a brightened copy 0.73 while two unrelated photos with
 * matching 64-bit dHashes pass. The two signatures are aligned (scales 1…0.7, offsets, mirror: see
 * align-signatures.ts), and three independent measures must agree:
 * - structure: the aligned grey grids correlate (tone) and so do their gradient maps (edge): smooth
 *   look-alikes (two halves of one gradient, two sunsets) correlate in tone, not in edges; and so does
 *   what is left of each grid once its row and column means are removed (plane): two photos of one
 *   composition (sky over sea, a horizon, a plain backdrop with an object or two) share their row and column
 *   profiles, and with them tone and edge correlations of 0.95, but not the rest. A picture with almost no
 *   structure (a flat backdrop) proves nothing either way;
 * - lightness: the mean L* moves little (a slight brightening, not a light or dark edition);
 * - colour: the aligned colour cells move little in a*b*, each and on average (where neither clips), and
 *   neither is black and white alone.
 * Structure without the rest is an `edit` (the same shot processed differently); a better mirrored than
 * upright alignment is an `edit` too (mirrored copies are not trashed unseen); no structure is `different`.
 * Figures from the dev half of the real-photo set (test/duplicates/real-photo-set.ts, tuned there and
 * reported on the held-out half, see docs/benchmarks.md): copies align at tone ≥ 0.87 (a 90 % crop of a fine
 * texture, the hardest), unrelated look-alikes reach tone 0.95 but edge ≤ 0.5 or a colour move ≥ 15.
 */
export interface VerifyThresholds {
  /** Tone correlation at which the structure matches (copies ≥ 0.87 on the dev set; 0.85 leaves a margin). */
  tone: number;
  /** Edge correlation at which the structure matches (look-alikes with tone ≥ 0.85 have ≤ 0.33 but one). */
  edge: number;
  /**
   * Two-dimensional structure correlation (row and column profiles removed) at which the structure matches.
   * Copies keep it (dev set: ≥ 0.72, a crop of a fine texture the lowest; median 0.99); unrelated scenes of one
   * composition do not (tiny-clip's sea and beach scenes ≤ 0.47; two halves of one texture ≤ 0.66). 0.65 sits
   * between the two, nearer the copies: a copy left unfound costs less than a photo trashed.
   */
  plane: number;
  /**
   * Least grey standard deviation (0–255, 32×32 grid) of either picture for its structure to count: below it
   * the grid's rounding and JPEG noise (≈ 1 level) and one or two small objects on a flat backdrop are all
   * there is, and any two such pictures correlate (tiny-clip's plain brown backdrop with two shapes: 2.4).
   * Photographs have more: ≥ 10 on the dev set, 4.3 for the faintest seen (MATE's Wood texture, brightened).
   */
  minContrast: number;
  /** Largest mean L* change of a copy: brightening by 12 % moves ≈ 6; light/dark editions move ≥ 20. */
  lightness: number;
  /**
   * Largest mean a*b* change per colour cell of a whole-frame copy, cells where either picture clips left
   * out ([Note: colour compared on the outer grid]): re-encodes, resizes and brightening move ≤ 2.4 on the
   * dev set, a colour grade or a recolour ≥ 3.8. A crop is allowed twice as much: its cells are resampled
   * from the other's (a colourful crop then moves up to 6.5 without any change of colour).
   */
  chromaShift: number;
  /**
   * Largest change of the mean a*b* over the aligned picture (a cast): resampling errors of single cells
   * cancel in it, a grade's do not. Copies move ≤ 1.6 on the dev set (JPEG at quality 60: its halved chroma
   * planes), colour grades and recolours ≥ 3.4; 2 leaves the copies a margin and catches a grade whose cells
   * each move little (a teal grade of a dark picture: 2.7 on the mean, 3 per cell).
   */
  castShift: number;
  /** …and at most this share of the pictures' own chroma (+2): a hue turn of a nearly grey photo moves little in absolute terms. */
  chromaShare: number;
  /** A picture with chroma at most this is black and white (a greyscale JPEG has 0; a foggy colour photo ≈ 2). */
  greyChroma: number;
}

export const DEFAULT_VERIFY: VerifyThresholds = {
  tone: 0.85,
  edge: 0.4,
  plane: 0.65,
  minContrast: 3,
  lightness: 10,
  chromaShift: 3.5,
  castShift: 2,
  chromaShare: 0.5,
  greyChroma: 1,
};

/** A crop's alignment covers less than this share of the outer frame (a resize covers all of it). */
const WHOLE_FRAME = 0.97;

/**
 * Least share of the outer frame an alignment must cover to prove anything. Copies in the real-photo set
 * overlap by ≥ 0.59 (two different crops of one picture, 80 % in a corner against a wide crop; one crop of the
 * whole, ≥ 0.64), and a crop that keeps half the frame or less is a new picture as much as a copy: on
 * tiny-clip-dev a portrait sunset with a pink circle aligned with a landscape sunset with a pink square over
 * 0.49 of its frame (tone 0.97, plane 0.78) and was offered as a near copy. 0.55 sits between the two.
 */
const LEAST_OVERLAP = 0.55;

/**
 * Two-dimensional structure a crop needs (a whole-frame alignment needs `plane`). A crop is found by searching
 * offsets and scales, and that search also finds the best-matching part of an unrelated picture of the same
 * composition: on tiny-clip-dev two snowfields aligned at 0.85 scale with plane 0.68. Crops of the same picture
 * keep ≥ 0.71 (real-photo set, dev half; held-out 0.73), whole-frame copies ≥ 0.94; 0.70 sits between, nearer
 * the copies, as `plane` does.
 */
const CROP_PLANE = 0.7;

export type VerifiedKind = 'near' | 'edit' | 'different';

export interface Verdict {
  kind: VerifiedKind;
  /** For an edit, what differs: 'mirrored', 'black and white', 'lightness', 'colour'. */
  edit?: 'mirrored' | 'black and white' | 'lightness' | 'colour';
}

export function verifyPair(a: SignatureView, b: SignatureView, t: VerifyThresholds = DEFAULT_VERIFY): Verdict {
  const aligned = alignPair(a, b);
  // Most candidate pairs align nowhere: judged without measuring the rest (a third of the scan's work).
  if (Math.max(aligned.toneUpright, aligned.toneMirrored) < t.tone) return { kind: 'different' };
  return judge(measureAligned(a, b, aligned), t);
}

export function judge(e: AlignedEvidence, t: VerifyThresholds): Verdict {
  // Evidence of the aligned structure (the mirrored alignment's when that fits better): all of it, or nothing.
  const { w, h } = e.alignment;
  const crop = w * h < WHOLE_FRAME;
  const structure = e.edge >= t.edge && e.plane >= (crop ? Math.max(t.plane, CROP_PLANE) : t.plane) && e.contrast >= t.minContrast && w * h >= LEAST_OVERLAP;
  if (e.toneMirrored > e.toneUpright) {
    return e.toneMirrored >= t.tone && structure ? { kind: 'edit', edit: 'mirrored' } : { kind: 'different' };
  }
  if (e.toneUpright < t.tone || !structure) return { kind: 'different' };
  const [grey, colour] = e.chromaA < e.chromaB ? [e.chromaA, e.chromaB] : [e.chromaB, e.chromaA];
  // One picture grey, the other visibly coloured (2× its chroma and 1.5 more: JPEG noise keeps a grey photo grey).
  if (grey <= t.greyChroma && colour >= 2 * grey + 1.5) return { kind: 'edit', edit: 'black and white' };
  if (Math.abs(e.lightness) > t.lightness) return { kind: 'edit', edit: 'lightness' };
  const allowed = Math.min((crop ? 2 : 1) * t.chromaShift, t.chromaShare * ((e.chromaA + e.chromaB) / 2) + 2);
  if (e.chromaShift > allowed || e.castShift > t.castShift) return { kind: 'edit', edit: 'colour' };
  return { kind: 'near' };
}
