import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { DecodeError } from '../../app/image/decode.js';
import { analysisSpec, analyzePhoto } from '../../app/indexer/analyze-photo.js';
import { AnalyzePool } from '../../app/indexer/analyze-pool.js';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { tempDir } from '../helpers/cli.js';
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
      const inline = await analyzePhoto(bytes, model);
      const inWorker = await pool.analyze(bytes, analysisSpec(model));
      expect(Buffer.isBuffer(inWorker.crop)).toBe(true);
      expect(inWorker.crop.equals(inline.crop)).toBe(true);
      expect(inWorker.grid.jpeg.equals(inline.grid.jpeg)).toBe(true);
      expect({ ...inWorker, crop: 0, grid: 0 }).toEqual({ ...inline, crop: 0, grid: 0 });
    }
  });

  it('moves a file read whole to the worker instead of copying it, and never a slice of a shared buffer', async () => {
    const file = path.join(SAMPLES_DIR, 'sample_093.jpg');
    // Read as indexing reads (fs.promises.readFile): on Node 24 readFileSync returns a view into a larger 64 KB block.
    const whole = await fs.promises.readFile(file);
    const size = whole.byteLength;
    expect((await pool.analyze(whole, analysisSpec(model))).width).toBeGreaterThan(0);
    expect(whole.byteLength).toBe(0); // moved: detached here
    // A view into a larger buffer (as Node's pooled small Buffers are) is copied, and stays intact.
    const shared = Buffer.concat([Buffer.alloc(16), fs.readFileSync(file)]).subarray(16);
    expect((await pool.analyze(shared, analysisSpec(model))).width).toBeGreaterThan(0);
    expect(shared.byteLength).toBe(size);
  });

  it('sends only HEIC photos to the pool when indexing, and records their true file size', async () => {
    const photos = tempDir('pool-size-photos');
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_093.jpg'), path.join(photos, 'a.jpg'));
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_094.jpg'), path.join(photos, 'b.jpg'));
    fs.copyFileSync(path.join(FIXTURES, 'formats', 'sunset.heic'), path.join(photos, 'c.heic'));
    const core = Core.open({ libraryDir: tempDir('pool-size-lib'), modelDir: TINY_CLIP, decodeThreads: 1 });
    try {
      expect((await core.index([photos])).indexed).toBe(3);
      // The JPEGs were decoded on this thread (sharp's own threads do the work), the HEIC in the pool.
      expect(core.decodingThreads!.analyzed).toBe(1);
      expect(core.decodingThreads!.workerThreadIds.has(threadId)).toBe(false);
      for (const name of ['a.jpg', 'c.heic']) {
        expect(core.catalog.photos.byPath(path.join(photos, name))!.size).toBe(fs.statSync(path.join(photos, name)).size);
      }
    } finally {
      await core.close();
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
