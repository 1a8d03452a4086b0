import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { fixedPart, modelCalibration, project } from '../../app/search/model-calibration.js';
import { dot } from '../../app/util/vector.js';
import { MODELS } from '../bench/search-dev-vectors.js';

/** [Note: two parts of the cone] on hand-made vectors and on both test models' own calibration. */
describe('the two parts of the cone', () => {
  // A fixed sequence of numbers in [-1, 1), so the vectors are the same on every run.
  let seed = 7;
  const next = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;

  it('finds the part of the mean along which the vectors never vary, and nothing where they vary along every direction', () => {
    // Six dimensions: the vectors vary along 0-3, lean alike along 4 (a constant, as tiny-clip-gap's m_img), and
    // are 0 along 5 (as its m_txt).
    const leaning = Array.from({ length: 40 }, () => Float32Array.from([0.3 + 0.2 * next(), 0.2 * next(), 0.2 * next(), 0.1 * next(), 0.7, 0]));
    const mean = Float32Array.from({ length: 6 }, (_, i) => leaning.reduce((a, v) => a + v[i]!, 0) / leaning.length);
    const axis = fixedPart(leaning, mean)!;
    expect(Math.abs(axis[4]!)).toBeGreaterThan(0.999);
    // Varying along every direction (tiny-clip: 128 images in 64 dimensions): no fixed part.
    const full = Array.from({ length: 40 }, () => Float32Array.from({ length: 6 }, (_, i) => (i === 4 ? 0.7 : 0.3) + 0.2 * next()));
    const fullMean = Float32Array.from({ length: 6 }, (_, i) => full.reduce((a, v) => a + v[i]!, 0) / full.length);
    expect(fixedPart(full, fullMean)).toBeUndefined();
  });

  it('removes both axes from a vector', () => {
    const s = Math.SQRT1_2;
    const calibration = { gap: Float32Array.from([s, s, 0, 0]), fixedAxis: Float32Array.from([0, 0, 1, 0]) };
    const p = project(Float32Array.from([0.5, 0.1, 0.8, 0.3]), calibration);
    expect(dot(p, calibration.gap)).toBeCloseTo(0, 6);
    expect(dot(p, calibration.fixedAxis)).toBeCloseTo(0, 6);
    expect(dot(p, p)).toBeCloseTo(1, 6);
  });

  const available = Object.values(MODELS).every((dir) => fs.existsSync(dir));
  it.skipIf(!available)('finds a fixed part in tiny-clip-gap (its added m_img) and none in tiny-clip (full rank)', async () => {
    const gap = await modelCalibration(new ClipModel(loadModelPack(MODELS['tiny-clip-gap'])));
    const tiny = await modelCalibration(new ClipModel(loadModelPack(MODELS['tiny-clip'])));
    expect(gap.fixedAxis).toBeDefined();
    expect(Math.abs(dot(gap.fixedAxis!, gap.gap))).toBeLessThan(1e-5);
    // Every calibration image leans alike along the fixed axis: its image mean is mostly there (1/√2 of 1 + 1/√2).
    expect(dot(gap.imageMean, gap.fixedAxis!)).toBeGreaterThan(0.6);
    expect(tiny.fixedAxis).toBeUndefined();
  });
});
