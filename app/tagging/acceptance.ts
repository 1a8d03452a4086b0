import { dot } from '../util/vector.js';

/**
 * [Note: tag acceptance]
 * One global cosine cut-off cannot work: every tag's text vector sits at its own distance from photos, so
 * "beach" may score 0.30 on beaches and "dog" 0.22 on dogs. Two calibrated signals decide instead, both
 * computed from the library itself (never from labels):
 *
 * 1. Standing out (per-tag standardisation): each tag's cosine is compared with how the whole library scores
 *    on that tag — median and MAD, as search does in [Note: adaptive relevance cut-off]. `z` is the photo's
 *    distance above the typical photo in robust standard deviations.
 * 2. Winning among siblings: tags under one group of the hierarchy compete (softmax over the siblings'
 *    cosines at the model's logit scale, CLIP's own zero-shot probability). A photo that scores high on
 *    "beach" only because it scores high on every scene gets a low probability.
 *
 * 3. The group being there at all: softmax always crowns a winner, even on a photo none of the siblings fits
 *    (a plain studio backdrop still "wins" some scene). So the photo's best cosine in the group is standardised
 *    over the library the same way (`groupZ`); a photo clearly below the typical photo's best (groupZ <
 *    GROUP_MIN_Z) gets no tag of that group.
 *
 * A tag is accepted, when its group is there, if the photo stands out clearly (z ≥ STANDOUT_Z) and is not
 * beaten by its siblings (p ≥ STANDOUT_P), or if it wins decisively among its siblings (p ≥ DECISIVE_P)
 * while still scoring above the typical photo (z ≥ DECISIVE_Z). The second path matters for common
 * subjects, where a positive photo cannot stand out because a large share of the library shows the same
 * thing. At most MAX_TAGS_PER_PHOTO tags are kept per photo, the most confident first.
 *
 * The constants are round values with a meaning (2 robust standard deviations, "more likely than not among
 * siblings" halved for multi-subject photos), not fitted to labels; test/tagging/samples-quality.test.ts
 * prints what they reach on tiny-clip's labelled samples next to per-tag thresholds chosen with hindsight.
 */
export const ACCEPTANCE = {
  STANDOUT_Z: 2,
  STANDOUT_P: 0.2,
  DECISIVE_Z: 0.5,
  DECISIVE_P: 0.4,
  GROUP_MIN_Z: -2,
  MAX_TAGS_PER_PHOTO: 12,
} as const;

export type AcceptanceRule = { [K in keyof typeof ACCEPTANCE]: number };

export interface TagScores {
  /** cosine[photo][tag]: similarity of each photo's vector to each tag's ensembled text vector. */
  cosine: Float32Array[];
  /** z[photo][tag]: robust standardised cosine (see above). */
  z: Float32Array[];
  /** p[photo][tag]: softmax probability among the tag's siblings. */
  p: Float32Array[];
  /** groupZ[photo][tag]: robust standardised best cosine of the photo within the tag's sibling group. */
  groupZ: Float32Array[];
  /** siblings[tag]: size of the tag's sibling group (1 = no competition, so p says nothing). */
  siblings: Int32Array;
}

export interface Accepted {
  photoIndex: number;
  tagIndex: number;
  /** Confidence shown to the user: the sibling probability, in [0, 1]. */
  score: number;
}

const MIN_SPREAD = 0.005;

/** Cosines, robust z and sibling probabilities for every photo × tag. `groups` lists sibling tag indices. */
export function scoreTags(photos: readonly Float32Array[], tags: readonly Float32Array[], groups: readonly number[][], logitScale: number): TagScores {
  const n = photos.length;
  const cosine = photos.map((v) => {
    const row = new Float32Array(tags.length);
    for (let j = 0; j < tags.length; j++) row[j] = dot(v, tags[j]!);
    return row;
  });
  const z = photos.map(() => new Float32Array(tags.length));
  const column = new Float32Array(n);
  for (let j = 0; j < tags.length; j++) {
    for (let i = 0; i < n; i++) column[i] = cosine[i]![j]!;
    const { median, spread } = robust(column);
    for (let i = 0; i < n; i++) z[i]![j] = (cosine[i]![j]! - median) / spread;
  }
  const p = photos.map(() => new Float32Array(tags.length));
  const groupZ = photos.map(() => new Float32Array(tags.length));
  const siblings = new Int32Array(tags.length);
  for (const group of groups) {
    for (const j of group) siblings[j] = group.length;
    const best = new Float32Array(n);
    const exps = new Float64Array(group.length);
    for (let i = 0; i < n; i++) {
      const row = cosine[i]!;
      let max = -Infinity;
      for (const j of group) max = Math.max(max, row[j]!);
      best[i] = max;
      let sum = 0;
      group.forEach((j, k) => (sum += exps[k] = Math.exp(logitScale * (row[j]! - max))));
      group.forEach((j, k) => (p[i]![j] = exps[k]! / sum));
    }
    const { median, spread } = robust(best);
    for (let i = 0; i < n; i++) for (const j of group) groupZ[i]![j] = (best[i]! - median) / spread;
  }
  return { cosine, z, p, groupZ, siblings };
}

/** The tags each photo gets under the rule of [Note: tag acceptance]. */
export function acceptTags(scores: TagScores, rule: AcceptanceRule = ACCEPTANCE): Accepted[] {
  const out: Accepted[] = [];
  scores.z.forEach((zRow, i) => {
    const pRow = scores.p[i]!;
    const kept: Accepted[] = [];
    for (let j = 0; j < zRow.length; j++) {
      if (scores.groupZ[i]![j]! < rule.GROUP_MIN_Z) continue;
      const z = zRow[j]!;
      const p = pRow[j]!;
      const standsOut = z >= rule.STANDOUT_Z && p >= rule.STANDOUT_P;
      // A tag alone in its group always "wins" (p = 1): only standing out can accept it.
      const decisive = scores.siblings[j]! > 1 && p >= rule.DECISIVE_P && z >= rule.DECISIVE_Z;
      if (standsOut || decisive) kept.push({ photoIndex: i, tagIndex: j, score: p });
    }
    kept.sort((a, b) => b.score - a.score);
    out.push(...kept.slice(0, rule.MAX_TAGS_PER_PHOTO));
  });
  return out;
}

/** Median and 1.4826 × MAD (the standard deviation of the bulk, robust to the matching photos). */
function robust(values: Float32Array): { median: number; spread: number } {
  const median = medianOf(values.slice());
  const deviations = values.map((v) => Math.abs(v - median));
  return { median, spread: Math.max(1.4826 * medianOf(deviations), MIN_SPREAD) };
}

/** Median of a scratch array (sorted in place: typed arrays sort numerically). */
function medianOf(values: Float32Array): number {
  if (values.length === 0) return 0;
  values.sort();
  const mid = (values.length - 1) / 2;
  return (values[Math.floor(mid)]! + values[Math.ceil(mid)]!) / 2;
}
