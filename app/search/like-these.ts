import { l2Normalize } from '../util/vector.js';
import { project, type ModelCalibration } from './model-calibration.js';
import { scoreDistribution } from './relevance.js';

/** Words that steer "more like these": what to move towards and what to move away from, as text vectors. */
export interface Steering {
  towards: readonly Float32Array[];
  away: readonly Float32Array[];
}

/**
 * How much say the words get against the photos, in units of each part's spread over the library: 1 gives
 * them an equal say ("like these" and "at night" count alike).
 */
export const TEXT_WEIGHT = 1;

/**
 * [Note: more like these]
 * One query vector for "photos like these, but <words>", so that the k-NN index and the library-relative
 * cut-off of similar-photo search apply to it unchanged:
 *
 *     q = p / σ(p)  +  w · Σ s⁺ / σ(s⁺)  −  w · Σ s⁻ / σ(s⁻)
 *
 * - p, the photos' direction: the mean of the photos' vectors with the model's cone axis removed and
 *   normalised again (`project`, [Note: model calibration]), each photo counting alike.
 * - s, each text's direction: its vector with the same axis removed. CLIP-like models put every photo in one
 *   narrow cone and every text in another (photo–photo cosines ≈ 0.5 for unrelated photos on tiny-clip-gap and
 *   real CLIP); the axis is what all photos share, and a text's lean along it is an offset of that text's
 *   scores, not information about a photo.
 * - σ(x): the robust spread (MAD) of x·v over the library sample. Text–photo cosines are compressed (a good
 *   match is 0.25 on real CLIP and tiny-clip-gap, 0.55 on tiny-clip) and photo–photo ones are not, so summed raw
 *   cosines let one modality drown the other by a model-dependent amount; divided by its spread, each part is in
 *   "spreads above typical", the same units on every model. Then q·v = z_p(v) + w·Σ z_s⁺(v) − w·Σ z_s⁻(v) + a
 *   constant: a photo ranks by how far above typical it is on the photos and on the words together.
 * - negatives ("without people", "-people", parsed as search parses them) subtract their direction alike.
 *
 * q has no component along the axis, so q·v is q·project(v) times |v less its axis part|, nearly the same for
 * every photo of the cone: the k-NN order over the stored vectors and the similar-photo cut-off (a z-score) are
 * those of the combined score.
 *
 * Measured on tiny-clip-dev (test/search/like-these-dev.test.ts: 774 cases "photos of object X in scene A, and
 * the words for scene B", mean average precision of X-in-B photos, tiny-clip / tiny-clip-gap): raw cosines
 * summed 0.600 / 0.500 (on CLIP's geometry the words hardly count); standardised 0.608 / 0.602; with the axis
 * removed 0.617 / 0.603 (this rule). Centring the photos on the calibration images' mean instead (the first
 * version) lost 0.07-0.13: those images share meaning (flat colour, blobs) that the photos' objects need.
 * w = 1 against 0.7 and 1.5: 0.617 / 0.603 against 0.563-0.600 / 0.556-0.588.
 */
export function likeTheseQuery(
  photos: readonly Float32Array[],
  steering: Steering,
  calibration: Pick<ModelCalibration, 'gap' | 'fixedAxis'>,
  sample: readonly Float32Array[],
  textWeight = TEXT_WEIGHT,
): Float32Array {
  const dim = calibration.gap.length;
  const photoSum = new Float32Array(dim);
  for (const v of photos) add(photoSum, project(v, calibration), 1);
  const q = new Float32Array(dim);
  add(q, standardised(l2Normalize(photoSum), sample), 1);
  for (const t of steering.towards) add(q, standardised(project(t, calibration), sample), textWeight);
  for (const t of steering.away) add(q, standardised(project(t, calibration), sample), -textWeight);
  return l2Normalize(q);
}

/** The direction divided by the spread of its scores over the sample (see [Note: more like these]). */
function standardised(direction: Float32Array, sample: readonly Float32Array[]): Float32Array {
  const { spread } = scoreDistribution(sample, direction);
  return direction.map((x) => x / spread);
}

function add(into: Float32Array, v: Float32Array, weight: number): void {
  for (let i = 0; i < into.length; i++) into[i] = into[i]! + weight * v[i]!;
}
