import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { decodePhoto } from '../image/decode.js';
import type { ClipModel } from '../model/clip-model.js';
import { UserError, messageOf } from '../util/errors.js';
import { cosine } from '../util/vector.js';
import { resourcePath } from '../util/app-root.js';

export const SELF_CHECK_DIR = resourcePath('self-check');

const casesSchema = z.object({
  cases: z.array(z.object({ image: z.string(), prompt: z.string() })).min(2),
});

export interface SelfCheckResult {
  passed: boolean;
  /** Image→prompt and prompt→image choices that matched, out of 2 × cases. */
  correct: number;
  total: number;
  /** One line per wrong choice, or the error that stopped the check. */
  failures: string[];
}

/**
 * [Note: model self-check]
 * Before a new pack indexes anything it must tell apart a few bundled scenes (resources/self-check): every
 * image's best prompt must be its own and every prompt's best image must be its own. A truncated, swapped
 * or corrupted weights file, or a text tower from another model, gives embeddings in unrelated spaces and
 * fails this; so does a pack whose preprocessing does not match its weights. The scenes are simple enough
 * (sunset, forest, ocean, snow, night sky, beach) that both our tiny test model and a real CLIP rank them.
 */
export async function runSelfCheck(model: ClipModel, dir: string = SELF_CHECK_DIR): Promise<SelfCheckResult> {
  const { cases } = casesSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'self-check.json'), 'utf8')));
  const total = cases.length * 2;
  let images: Float32Array[];
  let texts: Float32Array[];
  try {
    const crops: Buffer[] = [];
    for (const c of cases) {
      const decoded = await decodePhoto(fs.readFileSync(path.join(dir, c.image)), model.decodeSizes);
      crops.push(await model.cropFor(decoded));
    }
    images = await model.embedCrops(crops);
    texts = (await model.embedTexts(cases.map((c) => c.prompt))).map((t) => t.embedding);
  } catch (err) {
    return { passed: false, correct: 0, total, failures: [`the model cannot run: ${messageOf(err)}`] };
  }
  if (images.some((v) => !v.every(Number.isFinite)) || texts.some((v) => !v.every(Number.isFinite))) {
    return { passed: false, correct: 0, total, failures: ['the model produces non-finite values (damaged weights?)'] };
  }
  if (images[0]!.length !== texts[0]!.length) {
    return { passed: false, correct: 0, total, failures: [`image vectors have ${images[0]!.length} values, text vectors ${texts[0]!.length}: towers from different models`] };
  }

  const score = doublyCentred(cases.map((_, i) => cases.map((__, t) => cosine(images[i]!, texts[t]!))));
  const failures: string[] = [];
  cases.forEach((c, i) => {
    const bestPrompt = argmax(cases.length, (t) => score(i, t));
    if (bestPrompt !== i) failures.push(`${c.image} matched "${cases[bestPrompt]!.prompt}" instead of "${c.prompt}"`);
    const bestImage = argmax(cases.length, (j) => score(j, i));
    if (bestImage !== i) failures.push(`"${c.prompt}" matched ${cases[bestImage]!.image} instead of ${c.image}`);
  });
  return { passed: failures.length === 0, correct: total - failures.length, total, failures };
}

/** Runs the self-check and throws a UserError naming the first failures when the pack does not pass. */
export async function requireSelfCheck(model: ClipModel, packId: string): Promise<SelfCheckResult> {
  const result = await runSelfCheck(model);
  if (!result.passed) {
    throw new UserError(
      `model pack ${packId} failed its self-check (${result.correct}/${result.total} correct), so it is not used: ${result.failures.slice(0, 3).join('; ')}`,
    );
  }
  return result;
}

/**
 * The image × prompt cosines less each image's mean and each prompt's mean (plus the grand mean), read as
 * `score(image, prompt)`. Real CLIP adds an offset of its own to every prompt's cosines (some phrasings score
 * higher on every image) and to every image's: asked raw "which prompt fits this image best", a prompt that
 * scores high everywhere wins. The CLIP-geometry test model (tiny-clip-gap, a shift per query) failed the
 * check that way, a snow photo matching "the night sky" (11/12). Centred both ways, each choice asks which
 * prompt (image) fits this image (prompt) more than it fits the others, which no such offset changes; damaged or
 * mismatched towers still score at random and fail.
 */
function doublyCentred(cos: number[][]): (image: number, prompt: number) => number {
  const n = cos.length;
  const imageMean = cos.map((row) => row.reduce((a, b) => a + b, 0) / n);
  const promptMean = cos[0]!.map((_, t) => cos.reduce((a, row) => a + row[t]!, 0) / n);
  const grand = imageMean.reduce((a, b) => a + b, 0) / n;
  return (i, t) => cos[i]![t]! - imageMean[i]! - promptMean[t]! + grand;
}

function argmax(n: number, value: (i: number) => number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (value(i) > value(best)) best = i;
  return best;
}
