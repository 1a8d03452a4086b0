import { dot } from '../util/vector.js';
import { BACKDROP_TEXTS, CO_OCCURRING_ALLOWANCE, isSettingOnly, needsSettingContrasts } from './contrasts.js';
import { project, type ModelCalibration } from './model-calibration.js';

/**
 * [Note: query-anchored cut-off]
 * A text query's default result set is decided per photo, from the photo, the query and the model only, so
 * that adding or removing unrelated photos never changes whether a given photo matches (issue 13; the older
 * rule below measured each photo against the library's median, so a folder where most photos match returned
 * nothing). With the gap removed ([Note: model calibration]), a photo's relevance is its log-odds, at the
 * model's calibrated temperature, of the query against the strongest of the query's alternatives
 * ([Note: contrast prompts]):
 *
 *     relevance = min over alternatives of logitScale × (cos'(photo, query) − cos'(photo, alternative)) + allowance
 *
 * and the photo matches when relevance ≥ MATCH_LOG_ODDS. Both factors come from the model: the temperature is
 * CLIP's own (rescaled for the removed gap) and the alternatives are texts the same model embeds. A query of a
 * kind not every photo shows is also held against what the photo shows instead ([Note: what every photo
 * shows]).
 */
export interface QueryAnchor {
  query: Float32Array;
  alternatives: Float32Array[];
  /** allowance[i]: extra log-odds alternative i needs to reject the query (see CO_OCCURRING_ALLOWANCE). */
  allowance: number[];
  logitScale: number;
  gap: Float32Array;
  fixedAxis?: Float32Array;
}

/**
 * The photo matches when the query is at least half as likely as its strongest alternative: odds of 1 : 2
 * (log-odds −ln 2). Not 0, because a photo often shows both the query and an alternative (a red circle beside
 * a red star; a sunset over a beach) and then the model splits its belief between the two; not lower, because
 * at odds of 1 : 3 an alternative is clearly the better description. On the dev set the F1 of both test
 * models peaks between −0.5 and −1 (docs/benchmarks.md, Issue 13), so the value was checked, not fitted.
 */
export const MATCH_LOG_ODDS = -Math.LN2;

/**
 * The query's anchor: its vector and its alternatives' with the gap removed. With the query's `text`, a query of
 * a kind not every photo shows ("a dog", "a wedding") is also held against the pack's setting texts, each at
 * CO_OCCURRING_ALLOWANCE ([Note: what every photo shows]), and a query naming only settings against the plain
 * backdrops, as against its other siblings (see isSettingOnly).
 */
export function anchorQuery(query: Float32Array, alternatives: readonly Float32Array[], calibration: ModelCalibration, allowance: readonly number[] = [], text?: string): QueryAnchor {
  const extra =
    text === undefined
      ? []
      : needsSettingContrasts(text)
        ? calibration.settings.map((v) => ({ v, allowance: CO_OCCURRING_ALLOWANCE }))
        : isSettingOnly(text)
          ? calibration.settings.slice(-BACKDROP_TEXTS.length).map((v) => ({ v, allowance: 0 }))
          : [];
  return {
    query: project(query, calibration),
    alternatives: [...alternatives, ...extra.map((e) => e.v)].map((a) => project(a, calibration)),
    allowance: [...alternatives.map((_, i) => allowance[i] ?? 0), ...extra.map((e) => e.allowance)],
    logitScale: calibration.logitScale,
    gap: calibration.gap,
    ...(calibration.fixedAxis ? { fixedAxis: calibration.fixedAxis } : {}),
  };
}

/**
 * The photo's log-odds of the query against its strongest alternative (see [Note: query-anchored cut-off]).
 * The photo is not projected into a new vector: the anchor's texts are already orthogonal to the removed axes,
 * so cos'(photo, text) = photo · text / |photo less its parts along the axes|, and that norm is
 * √(|photo|² − Σ (photo · axis)²) for orthonormal axes. One loop per text and no allocation: a cold search judges
 * ~220 candidates against ~40 texts before its JIT has warmed up (26 ms with a projected copy per photo).
 */
export function anchoredRelevance(photo: Float32Array, anchor: QueryAnchor): number {
  let norm2 = dot(photo, photo);
  for (const axis of anchor.fixedAxis ? [anchor.gap, anchor.fixedAxis] : [anchor.gap]) norm2 -= dot(photo, axis) ** 2;
  const scale = anchor.logitScale / Math.sqrt(Math.max(norm2, Number.MIN_VALUE));
  const q = dot(photo, anchor.query);
  const { alternatives, allowance } = anchor;
  let worst = Infinity;
  for (let i = 0; i < alternatives.length; i++) {
    const a = alternatives[i]!;
    let s = 0;
    for (let j = 0; j < a.length; j++) s += photo[j]! * a[j]!;
    worst = Math.min(worst, scale * (q - s) + allowance[i]!);
  }
  return worst;
}

/**
 * [Note: adaptive relevance cut-off]
 * Used for "similar photo" search only (text queries use [Note: query-anchored cut-off]).
 * Raw cosine scores mean different things for different queries: with real CLIP a good match for one query
 * scores 0.24 and a poor match for another 0.28. So each score is compared with how the whole library
 * scores on the same query: a spread-out sample of the library's vectors gives, per query, the typical
 * (median) score and its spread (MAD, robust to the matching photos themselves being many). A photo's
 * relevance is its distance above the typical score in units of that spread; a photo is a match when it
 * stands clearly out of the crowd, whatever the query's raw score range. A query that matches nothing well
 * returns nothing by default instead of a wall of the "least bad" photos.
 */
export interface ScoreDistribution {
  median: number;
  spread: number;
}

/** Robust centre and spread of the library's scores against one query vector. */
export function scoreDistribution(sample: readonly Float32Array[], query: Float32Array): ScoreDistribution {
  if (sample.length === 0) return { median: 0, spread: 1 };
  const scores = sample.map((v) => dot(v, query)).sort((a, b) => a - b);
  const median = quantile(scores, 0.5);
  const deviations = scores.map((s) => Math.abs(s - median)).sort((a, b) => a - b);
  // 1.4826 × MAD estimates the standard deviation of the non-matching bulk; the floor keeps a library of
  // near-identical photos from turning tiny differences into huge relevances.
  const spread = Math.max(1.4826 * quantile(deviations, 0.5), MIN_SPREAD);
  return { median, spread };
}

const MIN_SPREAD = 0.005;

export function relevance(score: number, dist: ScoreDistribution): number {
  return (score - dist.median) / dist.spread;
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Below this relevance a photo is never a default match. */
export const RELEVANCE_FLOOR = 2;
/** A drop in relevance this large between two neighbours in the ranking separates matches from the rest. */
const MIN_GAP = 0.75;
/** Photos this relevant are matches even below a gap. */
const STRONG = 4;

/**
 * How many of the ranked results (relevances sorted best first) are matches. Among the photos above the
 * floor, the cut goes at the largest drop in relevance when that drop is clear: matching photos form a
 * group above the crowd even when, for a broad query such as "a beach", the group is large and its scores
 * low. Tuned on tiny-clip's labelled samples (scene queries: precision and recall 1.0 there); with a
 * floor of 2 robust deviations it is also conservative enough for real CLIP's narrower score range.
 */
export function matchCount(relevances: readonly number[]): number {
  let pool = 0;
  while (pool < relevances.length && relevances[pool]! >= RELEVANCE_FLOOR) pool++;
  if (pool === 0) return 0;
  let best = -1;
  let bestGap = 0;
  for (let i = 0; i < pool; i++) {
    const next = i + 1 < relevances.length ? relevances[i + 1]! : RELEVANCE_FLOOR - 1;
    const gap = relevances[i]! - next;
    if (gap > bestGap) {
      bestGap = gap;
      best = i;
    }
  }
  let keep = bestGap >= MIN_GAP ? best + 1 : pool;
  while (keep < pool && relevances[keep]! >= STRONG) keep++;
  return keep;
}
