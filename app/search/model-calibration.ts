import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defaultCacheDir } from '../library-paths.js';
import type { ClipModel } from '../model/clip-model.js';
import { VerifiedFiles } from '../model/verified-files.js';
import { DEFAULT_VOCABULARY_FILE, loadVocabularyFile } from '../tagging/default-vocabulary.js';
import { logitScaleOf } from '../tagging/logit-scale.js';
import { dot, l2Normalize } from '../util/vector.js';
import { CALIBRATION_IMAGES_VERSION, calibrationCrops } from './calibration-images.js';
import { settingTexts } from './contrasts.js';

/**
 * [Note: model calibration]
 * What a score means depends on the model, never on the library. CLIP-like models put every image vector in
 * one narrow cone and every text vector in another (Liang et al. 2022, "Mind the Gap"): the raw text–photo
 * cosine of a query then carries an offset of its own (how its text vector happens to lean towards the image
 * cone) that says nothing about the photo. The model's geometry is measured once per pack, on inputs that
 * belong to no library:
 *
 * - `imageMean`: the mean vector of the rendered calibration images ([Note: calibration images]);
 * - `textMean`: the mean vector of the shipped vocabulary's prompts (resources/vocabulary.txt: ~170 texts
 *   about everything a photographer tags, none about one library);
 * - `gap`: the image cone's axis, the direction along which every image leans alike: (Σ + λI)⁻¹ · imageMean,
 *   normalised, Σ the calibration images' covariance (a linear discriminant of "any image" against the origin:
 *   large mean, little spread). Scores are taken after removing it from both sides ([`project`]), which takes out
 *   each text's offset on the image side (how its vector leans into the cone, the per-query shift of CLIP-like
 *   models) and leaves the cosines on the model's semantic scale. The plain mean would also remove what the
 *   calibration images have in common in meaning (they all show flat colour and blobs); the difference of the
 *   image and text means (the first version) left part of the offset in. λ is RIDGE of the mean variance per
 *   dimension;
 * - `fixedAxis`: where the images' mean has a part along which the calibration images do not vary at all (to the
 *   precision of their float32 numbers), that part's direction, removed as well, and `gap` is then the cone axis
 *   of what is left ([Note: two parts of the cone]);
 * - `logitScale`: the temperature that turns those projected cosines into CLIP's zero-shot log-odds. The
 *   pack's own logit scale applies to raw cosines; removing the gap stretches the cosines, so it is rescaled
 *   by the slope of raw against projected cosines over every calibration image × vocabulary prompt pair,
 *   measured within each prompt (so per-prompt offsets do not count);
 * - `settings`: the vectors of what every photo shows (a setting, or a plain backdrop: settingTexts), which
 *   queries of a kind not every photo has are also held against ([Note: what every photo shows]); embedded here
 *   so that no query pays for them.
 *
 * [Note: two parts of the cone]
 * (Σ + λI)⁻¹ · imageMean has two parts: the images' mean outside the span of their variation (there Σ is 0, so
 * the weight is 1/λ, the largest any direction gets) and the mean inside it, weighted by 1/(σ² + λ) per direction.
 * One direction, their sum, is then almost only the first part, and the cone's lean inside the span (directions
 * along which the images lean far more than they vary) stays in every score, as a per-text offset: how a text
 * leans along it, which says nothing about the photo. tiny-clip-gap shows it: its image vectors are tiny-clip's
 * with a constant m_img added, the axis found was m_img with a little of tiny-clip's own cone (0.99 of it
 * m_img), and tiny-clip's cone, which the same rule removes on tiny-clip, stayed: queries about things no dev
 * photo shows ("a car", "a wedding") returned 44 and 51 of 600 photos there against 4 and 4 on tiny-clip. So the
 * two parts are removed as two directions: `fixedAxis`, the mean outside the span, and `gap`, the cone axis of
 * the images with it removed. Real CLIP (512 dimensions, 128 calibration images) always has a part outside the
 * span, which the one axis of method 3 took out, and a cone inside it, which it left; tiny-clip (64 dimensions, 128
 * images, full rank) has none outside, so for it nothing changes. The span is the calibration images' own
 * (centred, pivoted Gram-Schmidt), with the numerical-rank tolerance of any rank test (largest norm × the larger
 * of count and dimension × float32 epsilon): not a fitted constant, only what float32 can tell from zero.
 *
 * The result is cached beside the pack (CALIBRATION_FILE, or in the user cache when the pack's
 * folder is read-only, as [Note: verified pack record] does) keyed by the sha256 of both towers and the
 * calibration version, so it is computed when a pack is installed or first used and read back afterwards.
 */
/**
 * Bumped with any change of how the calibration is computed or what it holds (2: the cone axis instead of the
 * mean difference; 3: the setting texts' vectors; 4: the fixed part of the cone, [Note: two parts of the cone]).
 */
const CALIBRATION_METHOD = 4;
const FORMAT = `shoebox-calibration/${CALIBRATION_IMAGES_VERSION}.${CALIBRATION_METHOD}`;
/**
 * The file beside the pack, named by its format: two versions of Shoebox using one pack (the desktop app and an
 * older CLI, or a benchmark of two builds) then each keep their own instead of recomputing it, seconds of CPU,
 * every time the other has written it (one file for every format did that: 6-13 s cold searches in a paired run).
 */
export const CALIBRATION_FILE = `.shoebox-calibration-${CALIBRATION_IMAGES_VERSION}.${CALIBRATION_METHOD}.json`;
/**
 * The ridge, as a share of the calibration images' mean variance per dimension: directions along which the
 * images vary less than 1 % of that count as fixed (the cone's axis varies by nothing in tiny-clip-gap and very
 * little in CLIP), and it keeps Σ invertible when the images are fewer than the dimensions (128 against 512
 * for ViT-B/32). Compared on the dev set with 0.1 % (tiny-clip-gap's scenes lose recall: a direction with almost
 * no variance but no part in the offset is removed too) and 10 % (part of the offset stays; tag precision drops):
 * 1 % is the middle of a range where the figures change little, not a fitted optimum.
 */
export const RIDGE = 0.01;

export interface ModelCalibration {
  imageMean: Float32Array;
  textMean: Float32Array;
  gap: Float32Array;
  /** The images' mean outside the span of their variation, normalised, when it has such a part (orthogonal to gap). */
  fixedAxis?: Float32Array;
  logitScale: number;
  /** settingTexts() through the text tower, in that order (raw vectors, as any text's). */
  settings: Float32Array[];
}

/**
 * A vector in the record: one check of the whole array, where z.array(z.number()) ran a schema per number (the
 * ~18 000 numbers of a ViT-B/32 calibration took 20-40 ms of a cold search to validate).
 */
const vector = z.custom<number[]>((v) => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x)), 'an array of numbers');
const recordSchema = z.object({
  format: z.literal(FORMAT),
  key: z.string(),
  imageMean: vector,
  textMean: vector,
  gap: vector,
  fixedAxis: vector.nullable(),
  logitScale: z.number().positive(),
  settings: z.array(vector),
  packLogitScale: z.number().positive(),
});

/** Removes the gap direction (and the fixed axis, where there is one) from a vector and renormalises it. */
export function project(v: Float32Array, calibration: Pick<ModelCalibration, 'gap' | 'fixedAxis'>): Float32Array {
  const out = Float32Array.from(v);
  for (const g of calibration.fixedAxis ? [calibration.gap, calibration.fixedAxis] : [calibration.gap]) {
    const p = dot(v, g);
    for (let i = 0; i < v.length; i++) out[i] = out[i]! - p * g[i]!;
  }
  return l2Normalize(out);
}

/** Computes the calibration from the model's own outputs (see [Note: model calibration]). */
export async function computeCalibration(model: ClipModel): Promise<ModelCalibration> {
  const crops = calibrationCrops(model.preprocessing.cropSize);
  const images: Float32Array[] = [];
  for (let i = 0; i < crops.length; i += 32) images.push(...(await model.embedCrops(crops.slice(i, i + 32))));
  const prompts = [...new Set(loadVocabularyFile(DEFAULT_VOCABULARY_FILE).tags.flatMap((t) => t.prompts))];
  const texts = (await model.embedTexts(prompts)).map((e) => e.embedding);
  const imageMean = meanOf(images);
  const textMean = meanOf(texts);
  // [Note: two parts of the cone]: the fixed part first, then the cone axis of what is left, orthogonal to it.
  const fixedAxis = fixedPart(images, imageMean);
  const rest = fixedAxis ? images.map((v) => without(v, fixedAxis)) : images;
  const gap = fixedAxis ? l2Normalize(without(coneAxis(rest, meanOf(rest), RIDGE), fixedAxis)) : coneAxis(images, imageMean, RIDGE);
  // Slope of raw against projected cosines, within each prompt: how much removing the gap stretched the scale.
  let covariance = 0;
  let variance = 0;
  const axes = fixedAxis ? { gap, fixedAxis } : { gap };
  const projectedImages = images.map((v) => project(v, axes));
  for (const t of texts) {
    const pt = project(t, axes);
    const raw = images.map((v) => dot(v, t));
    const projected = projectedImages.map((v) => dot(v, pt));
    const mr = average(raw);
    const mp = average(projected);
    raw.forEach((r, i) => {
      covariance += (r - mr) * (projected[i]! - mp);
      variance += (projected[i]! - mp) ** 2;
    });
  }
  const stretch = variance > 0 && covariance > 0 ? covariance / variance : 1;
  const settings = (await model.embedTexts(settingTexts())).map((e) => e.embedding);
  return { imageMean, textMean, ...axes, logitScale: logitScaleOf(model.pack) * stretch, settings };
}

const memo = new Map<string, Promise<ModelCalibration>>();

/** The pack's calibration: cached in this process, then beside the pack, else computed (and cached). */
export function modelCalibration(model: ClipModel, options: { cacheDir?: string } = {}): Promise<ModelCalibration> {
  const dir = path.resolve(model.pack.dir);
  let found = memo.get(dir);
  if (!found) {
    found = loadOrCompute(model, options.cacheDir).catch((err: unknown) => {
      memo.delete(dir);
      throw err;
    });
    memo.set(dir, found);
  }
  return found;
}

async function loadOrCompute(model: ClipModel, cacheDir?: string): Promise<ModelCalibration> {
  const pack = model.pack;
  const verified = VerifiedFiles.open(pack.dir, cacheDir ? { cacheDir } : {});
  // The setting texts come from the shipped vocabulary: a change of it changes them, and the key.
  const texts = crypto.createHash('sha256').update(settingTexts().join('\n')).digest('hex').slice(0, 16);
  const key = `${await verified.sha256(pack.vision.path)}:${await verified.sha256(pack.text.path)}:${texts}`;
  const inPack = path.join(pack.dir, CALIBRATION_FILE);
  const inCache = path.join(cacheDir ?? defaultCacheDir(), 'calibration', `${crypto.createHash('sha256').update(path.resolve(pack.dir)).digest('hex').slice(0, 32)}-${CALIBRATION_IMAGES_VERSION}.${CALIBRATION_METHOD}.json`);
  const packLogitScale = logitScaleOf(pack);
  for (const file of [inPack, inCache]) {
    try {
      const record = recordSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
      if (record.key === key && record.packLogitScale === packLogitScale)
        return {
          imageMean: Float32Array.from(record.imageMean),
          textMean: Float32Array.from(record.textMean),
          gap: Float32Array.from(record.gap),
          ...(record.fixedAxis ? { fixedAxis: Float32Array.from(record.fixedAxis) } : {}),
          logitScale: record.logitScale,
          settings: record.settings.map((v) => Float32Array.from(v)),
        };
    } catch {
      // absent, unreadable or of another version: try the next place, then compute
    }
  }
  const calibration = await computeCalibration(model);
  const body = `${JSON.stringify({
    format: FORMAT,
    key,
    imageMean: Array.from(calibration.imageMean),
    textMean: Array.from(calibration.textMean),
    gap: Array.from(calibration.gap),
    fixedAxis: calibration.fixedAxis ? Array.from(calibration.fixedAxis) : null,
    logitScale: calibration.logitScale,
    settings: calibration.settings.map((v) => Array.from(v)),
    packLogitScale,
  })}\n`;
  for (const file of [inPack, inCache]) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, body);
      fs.renameSync(temp, file);
      break;
    } catch {
      // a read-only pack folder: the user cache next; with neither, the next process computes it again
    }
  }
  return calibration;
}

function meanOf(vectors: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(vectors[0]!.length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) out[i]! += v[i]! / vectors.length;
  return out;
}

/** v less its component along the unit vector u (not renormalised). */
function without(v: Float32Array, u: Float32Array): Float32Array {
  const p = dot(v, u);
  return Float32Array.from(v, (x, i) => x - p * u[i]!);
}

/**
 * The direction of `mean` outside the span of the vectors' variation about it, or undefined where the mean has
 * no such part that float32 can tell from zero ([Note: two parts of the cone]). The span: pivoted Gram-Schmidt on
 * the centred vectors (each step takes the one with most left), stopped where what is left is within the
 * numerical-rank tolerance.
 */
export function fixedPart(vectors: readonly Float32Array[], mean: Float32Array): Float32Array | undefined {
  const d = mean.length;
  const rows = vectors.map((v) => Float64Array.from(v, (x, i) => x - mean[i]!));
  const norm = (r: Float64Array) => Math.sqrt(r.reduce((a, x) => a + x * x, 0));
  const largest = Math.max(0, ...rows.map(norm));
  const tolerance = largest * Math.max(vectors.length, d) * FLOAT32_EPSILON;
  const basis: Float64Array[] = [];
  const left = rows.map(norm);
  while (basis.length < Math.min(rows.length, d)) {
    let best = 0;
    for (let r = 1; r < rows.length; r++) if (left[r]! > left[best]!) best = r;
    if (!(left[best]! > tolerance)) break;
    const b = rows[best]!.map((x) => x / left[best]!);
    basis.push(b);
    rows.forEach((r, k) => {
      const p = r.reduce((a, x, i) => a + x * b[i]!, 0);
      for (let i = 0; i < d; i++) r[i]! -= p * b[i]!;
      left[k] = norm(r);
    });
  }
  const out = Float64Array.from(mean);
  for (const b of basis) {
    const p = out.reduce((a, x, i) => a + x * b[i]!, 0);
    for (let i = 0; i < d; i++) out[i]! -= p * b[i]!;
  }
  const outside = norm(out);
  if (!(outside > Math.max(vectors.length, d) * FLOAT32_EPSILON * norm(Float64Array.from(mean)))) return undefined;
  return Float32Array.from(out, (x) => x / outside);
}

/** The spacing of float32 numbers at 1: the precision the towers' outputs carry. */
const FLOAT32_EPSILON = 2 ** -23;

function average(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** (Σ + ridge · mean variance · I)⁻¹ · mean, normalised: the direction every image leans along alike. */
export function coneAxis(images: readonly Float32Array[], mean: Float32Array, ridge: number): Float32Array {
  const d = mean.length;
  // The augmented system [Σ + λI | mean], solved by Gauss-Jordan elimination with partial pivoting (d ≤ ~1 000).
  const a = Array.from({ length: d }, () => new Float64Array(d + 1));
  for (const v of images) {
    for (let i = 0; i < d; i++) {
      const vi = (v[i]! - mean[i]!) / images.length;
      const row = a[i]!;
      for (let j = 0; j < d; j++) row[j]! += vi * (v[j]! - mean[j]!);
    }
  }
  let trace = 0;
  for (let i = 0; i < d; i++) trace += a[i]![i]!;
  for (let i = 0; i < d; i++) {
    a[i]![i]! += (ridge * trace) / d;
    a[i]![d] = mean[i]!;
  }
  for (let c = 0; c < d; c++) {
    let pivot = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    const top = a[c]!;
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const row = a[r]!;
      const f = row[c]! / top[c]!;
      if (f !== 0) for (let k = c; k <= d; k++) row[k]! -= f * top[k]!;
    }
  }
  return l2Normalize(Float32Array.from({ length: d }, (_, i) => a[i]![d]! / a[i]![i]!));
}
