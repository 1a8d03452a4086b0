import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../app/catalog/catalog.js';
import type { EmbeddingStore } from '../../app/catalog/embeddings.js';
import { EMPTY_METADATA } from '../../app/image/metadata.js';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { calibrationCrops } from '../../app/search/calibration-images.js';
import { modelCalibration } from '../../app/search/model-calibration.js';
import { Searcher } from '../../app/search/searcher.js';
import { VectorSearch } from '../../app/search/vector-search.js';
import { dot } from '../../app/util/vector.js';
import { clipLikeLibrary } from '../bench/search-clip-like.js';
import { tempDir } from '../helpers/cli.js';
import { TINY_CLIP } from '../helpers/fixtures.js';

const COUNT = 8000;
const DIM = 512;
const dir = tempDir('centred-signs');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function addPhotos(catalog: Catalog, store: EmbeddingStore, vectors: Float32Array[]): number[] {
  const folderId = catalog.folders.ensure('/lib');
  return catalog.transaction(() =>
    vectors.map((v, i) => {
      const id = catalog.photos.upsert({ path: `/lib/${i}.jpg`, folderId, size: 1, mtimeMs: 1, contentHash: `h${i}`, format: 'jpeg',
        width: 1, height: 1, ...EMPTY_METADATA, takenAt: null, dhash: null, dhashStableBits: null, sharpness: null });
      store.put(id, v);
      return id;
    }),
  );
}

/**
 * [Note: centred sign bits] through the real catalog (SQLite, sqlite-vec): vectors with CLIP's statistics (a
 * common cone every photo shares, see test/bench/search-clip-like.ts), bits taken around a centre computed
 * from calibration vectors that are not the library's, and the quantized path's recall against exact.
 */
describe('sign bits around the model centre', () => {
  const { data, queries, calibration } = clipLikeLibrary(COUNT, 11);
  const vectors = Array.from({ length: COUNT }, (_, i) => data.slice(i * DIM, (i + 1) * DIM));
  const centre = new Float32Array(DIM);
  for (const v of calibration) for (let d = 0; d < DIM; d++) centre[d]! += v[d]! / calibration.length;
  let catalog: Catalog;
  let store: EmbeddingStore;
  let ids: number[];

  beforeAll(() => {
    catalog = Catalog.open(dir);
    store = catalog.embeddings(catalog.models.ensure('clip-like#512', 'clip-like', DIM));
    ids = addPhotos(catalog, store, vectors);
  });
  afterAll(() => catalog.close());

  const recallOf = () => {
    const search = new VectorSearch(catalog, store, { quantizeAbove: 0, helperThreads: 0 });
    const recalls = queries.map((q) => {
      const exact = vectors.map((v, i) => ({ id: ids[i]!, s: dot(v, q) })).sort((a, b) => b.s - a.s).slice(0, 50).map((x) => x.id);
      const found = search.nearest(q, 50).map((n) => n.photoId);
      return found.filter((id) => exact.includes(id)).length / 50;
    });
    search.invalidate();
    return { mean: recalls.reduce((a, b) => a + b, 0) / recalls.length, min: Math.min(...recalls) };
  };

  it('re-quantizes every photo around the centre, keeps it for later writes and other processes, and keeps recall', () => {
    const raw = recallOf();
    expect(store.useSignCentre(centre)).toBe(true);
    expect(store.useSignCentre(centre)).toBe(false);
    const centred = recallOf();
    console.log(`recall@50 on ${COUNT} CLIP-like photos: raw signs mean ${raw.mean.toFixed(3)} worst ${raw.min.toFixed(2)}, around the centre mean ${centred.mean.toFixed(3)} worst ${centred.min.toFixed(2)}`);
    expect(centred.mean).toBeGreaterThanOrEqual(0.95);
    expect(centred.mean).toBeGreaterThanOrEqual(raw.mean - 0.005);

    // Stored bits are those of x − c: most bits differ from x's own, where the common cone fixed them.
    const bits = store.allBits();
    const row = bits.ids.indexOf(ids[0]!);
    const stored = Buffer.from(bits.vectors.subarray(row * bits.bytesPerVector, (row + 1) * bits.bytesPerVector));
    const shifted = vectors[0]!.map((x, d) => x - centre[d]!);
    expect(stored).toEqual((catalog.db.prepare('SELECT vec_quantize_binary(?) AS b').get(Buffer.from(shifted.buffer)) as { b: Buffer }).b);
    expect(stored).toEqual(store.quantize(vectors[0]!));
    const uncentred = (catalog.db.prepare('SELECT vec_quantize_binary(?) AS b').get(Buffer.from(vectors[0]!.buffer)) as { b: Buffer }).b;
    expect(stored).not.toEqual(uncentred);

    // A later write, and a catalog opened again (another process), take bits around the same centre.
    const [late] = addPhotos(catalog, store, [vectors[1]!]);
    const again = Catalog.open(dir);
    try {
      const other = again.embeddings(again.models.ensure('clip-like#512', 'clip-like', DIM));
      expect(other.signCentre()).toEqual(centre);
      const lateBits = other.allBits();
      const at = lateBits.ids.indexOf(late!);
      expect(Buffer.from(lateBits.vectors.subarray(at * lateBits.bytesPerVector, (at + 1) * lateBits.bytesPerVector))).toEqual(other.quantize(vectors[1]!));
    } finally {
      again.close();
    }
  });
});

describe('a text search takes the sign bits around its model pack centre', () => {
  it('stores the calibration centre for the model on the first search and re-quantizes the photos', async () => {
    const model = new ClipModel(loadModelPack(TINY_CLIP));
    const libraryDir = tempDir('centred-signs-tiny');
    const catalog = Catalog.open(libraryDir);
    try {
      const dim = await model.embeddingDim();
      const store = catalog.embeddings(catalog.models.ensure('tiny-clip#test', 'tiny-clip', dim));
      // Photos: the calibration pictures themselves, in a shuffled order (no decode needed).
      const photos = await model.embedCrops(calibrationCrops(model.preprocessing.cropSize, 24).reverse());
      addPhotos(catalog, store, photos);
      expect(store.signCentre()).toBeUndefined();
      await new Searcher(catalog, store, model).searchText('a red circle');
      const { imageMean } = await modelCalibration(model);
      expect(store.signCentre()).toEqual(imageMean);
    } finally {
      catalog.close();
      await model.release();
      fs.rmSync(libraryDir, { recursive: true, force: true });
    }
  });
});
