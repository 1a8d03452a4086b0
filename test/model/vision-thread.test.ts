import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePhoto } from '../../app/image/decode.js';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { openSession } from '../../app/model/providers.js';
import { ClipImageEncoder } from '../../app/model/image-encoder.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

/** See [Note: inference off the main thread]. Real ONNX Runtime sessions, real crops of the samples. */
describe('the vision tower on its own thread', () => {
  const pack = loadModelPack(TINY_CLIP);
  const model = new ClipModel(pack);
  afterAll(() => model.release());

  async function crops(count: number): Promise<Buffer[]> {
    const files = fs.readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.jpg')).slice(0, count);
    return Promise.all(files.map(async (f) => model.cropFor(await decodePhoto(fs.readFileSync(path.join(SAMPLES_DIR, f)), model.decodeSizes))));
  }

  it('gives the vectors a session on this thread gives', async () => {
    const batch = await crops(8);
    const { session } = await openSession(pack.vision.path);
    const here = new ClipImageEncoder(session, pack.preprocessing, { ...pack.vision, file: path.basename(pack.vision.path) });
    const expected = await here.embedCrops(batch);
    await here.release();
    const got = await model.embedCrops(batch);
    expect(got).toHaveLength(8);
    got.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(expected[i]!)));
  });

  it('leaves the calling thread free while a batch is inferred', async () => {
    const batch = await crops(64);
    await model.embedCrops(batch.slice(0, 1)); // the session is open: what follows is inference only
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    for (let i = 0; i < 6; i++) await model.embedCrops(batch);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    // A session run on this thread holds it for each whole batch: about one tick per batch (6). Free, the
    // timer fires about every 10 ms; a third of that leaves room for a loaded machine.
    console.log(`6 batches of 64 in ${elapsed.toFixed(0)} ms, ${ticks} timer ticks of 10 ms meanwhile`);
    expect(ticks).toBeGreaterThan(Math.max(12, elapsed / 10 / 3));
  });

  it('opens a fresh thread for a model used again after release', async () => {
    const other = new ClipModel(pack);
    const batch = await crops(1);
    expect(await other.embedCrops(batch)).toHaveLength(1);
    await other.release();
    // A released model opens a fresh thread on the next batch, as it opened its first.
    expect(await other.embedCrops(batch)).toHaveLength(1);
    await other.release();
  });
});
