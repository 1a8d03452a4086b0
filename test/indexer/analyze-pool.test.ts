import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../../app/image/decode.js';
import { analysisSpec, analyzePhoto } from '../../app/indexer/analyze-photo.js';
import { AnalyzePool } from '../../app/indexer/analyze-pool.js';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { FIXTURES, SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

describe('decoding in worker threads (piscina)', () => {
  const model = new ClipModel(loadModelPack(TINY_CLIP));
  const pool = new AnalyzePool(2);
  afterAll(async () => {
    await pool.close();
    await model.release();
  });

  it('gives exactly what decoding on the main thread gives, for JPEG and HEIC', async () => {
    for (const file of [path.join(SAMPLES_DIR, 'sample_093.jpg'), path.join(FIXTURES, 'formats', 'sunset.heic')]) {
      const bytes = fs.readFileSync(file);
      const [inWorker, inline] = await Promise.all([pool.analyze(bytes, analysisSpec(model)), analyzePhoto(bytes, model)]);
      expect(Buffer.isBuffer(inWorker.crop)).toBe(true);
      expect(inWorker.crop.equals(inline.crop)).toBe(true);
      expect(inWorker.grid.jpeg.equals(inline.grid.jpeg)).toBe(true);
      expect({ ...inWorker, crop: 0, grid: 0 }).toEqual({ ...inline, crop: 0, grid: 0 });
    }
  });

  it('runs off the calling thread, and reports bad images as DecodeError', async () => {
    expect(pool.workerThreadIds.size).toBeGreaterThan(0);
    expect(pool.workerThreadIds.has(threadId)).toBe(false);
    const failure = await pool.analyze(Buffer.from('not a photo'), analysisSpec(model)).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(DecodeError);
    expect((failure as Error).message).toMatch(/not an image/);
  });
});
