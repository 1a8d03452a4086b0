import { l2Normalize } from '../util/vector.js';
import type { ModelCalibration } from './model-calibration.js';
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
 * - p, the photos' direction: the mean of the photos' vectors, each first centred on the model's image mean
 *   (calibration's `imageMean`) and normalised. CLIP-like models put every photo in one narrow cone (photo–photo
 *   cosines ≈ 0.5 for unrelated photos on tiny-clip-gap and real CLIP); uncentred, the cone's common part is
 *   most of the mean and says nothing about these photos. Each photo counts alike, whatever its norm off-centre.
 * - s, each text's direction: its vector less the model's text mean (`textMean`, the shipped vocabulary's
 *   prompts): what "at night" says beyond what any prompt says. Its score on a photo, t·v − t̄·v, no longer
 *   carries how much that photo leans to text in general, nor the text's own offset (the modality gap).
 * - σ(x): the robust spread (MAD) of x·v over the library sample. Text–photo cosines are compressed (a good
 *   match is 0.25 on real CLIP, 0.55 on tiny-clip) and photo–photo ones are not, so summing raw cosines lets one
 *   modality drown the other by a model-dependent amount; divided by its spread, each part is in "standard
 *   deviations above typical", the same units on every model. Then q·v = z_p(v) + w·Σ z_s⁺(v) − w·Σ z_s⁻(v) +
 *   a constant: a photo ranks by how far above typical it is on the photos and on the words together.
 * - negatives ("without people", "-people", parsed as search parses them) subtract their direction the same way.
 *
 * Scores against q are affine in q·v, so the k-NN order and the similar-photo cut-off (a z-score itself) are
 * those of the combined score.
 */
export function likeTheseQuery(
  photos: readonly Float32Array[],
  steering: Steering,
  calibration: Pick<ModelCalibration, 'imageMean' | 'textMean'>,
  sample: readonly Float32Array[],
  textWeight = TEXT_WEIGHT,
): Float32Array {
  const dim = calibration.imageMean.length;
  const photoSum = new Float32Array(dim);
  for (const v of photos) add(photoSum, l2Normalize(minus(v, calibration.imageMean)), 1);
  const q = new Float32Array(dim);
  add(q, standardised(l2Normalize(photoSum), sample), 1);
  for (const t of steering.towards) add(q, standardised(l2Normalize(minus(t, calibration.textMean)), sample), textWeight);
  for (const t of steering.away) add(q, standardised(l2Normalize(minus(t, calibration.textMean)), sample), -textWeight);
  return l2Normalize(q);
}

/** The direction divided by the spread of its scores over the sample (see [Note: more like these]). */
function standardised(direction: Float32Array, sample: readonly Float32Array[]): Float32Array {
  const { spread } = scoreDistribution(sample, direction);
  return direction.map((x) => x / spread);
}

function minus(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((x, i) => x - b[i]!);
}

function add(into: Float32Array, v: Float32Array, weight: number): void {
  for (let i = 0; i < into.length; i++) into[i] = into[i]! + weight * v[i]!;
}
