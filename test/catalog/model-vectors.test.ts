import { describe, expect, it } from 'vitest';
import { Catalog } from '../../app/catalog/catalog.js';
import { EMPTY_METADATA } from '../../app/image/metadata.js';
import { tempDir } from '../helpers/cli.js';

const photo = (p: string) => ({ path: p, folderId: null, size: 1, mtimeMs: 1, contentHash: p, format: 'jpeg', width: 1, height: 1, ...EMPTY_METADATA, dhash: null, dhashStableBits: null, sharpness: null });
const vector = (x: number) => new Float32Array([x, 1 - x, 0, 0, 0, 0, 0, 0]); // 8-d: sign bits pack by bytes

describe('vectors of two models side by side', () => {
  it('lists the photos a model still lacks and drops one model without touching the other', () => {
    const catalog = Catalog.open(tempDir('model-vectors'));
    try {
      const ids = ['/p/a.jpg', '/p/b.jpg', '/p/c.jpg'].map((p) => catalog.photos.upsert(photo(p)));
      const oldModel = catalog.models.ensure('old#1', 'old', 8);
      const newModel = catalog.models.ensure('new#2', 'new', 8);
      const oldVectors = catalog.embeddings(oldModel);
      const newVectors = catalog.embeddings(newModel);
      ids.forEach((id, i) => oldVectors.put(id, vector(i / 3)));
      newVectors.put(ids[1]!, vector(0.5));
      expect(oldVectors.photosWithout()).toEqual([]);
      expect(newVectors.photosWithout()).toEqual([ids[0], ids[2]]);

      catalog.dropModel(oldModel);
      expect(catalog.models.list().map((m) => m.key)).toEqual(['new#2']);
      for (const table of ['', '_bits', '_rows']) {
        expect(catalog.db.prepare('SELECT name FROM sqlite_master WHERE name = ?').get(`vec_model_${oldModel.id}${table}`)).toBeUndefined();
      }
      expect(catalog.embeddings(newModel).count()).toBe(1);
      catalog.removePhoto(ids[1]!); // still works with the dropped model gone
      expect(catalog.embeddings(newModel).count()).toBe(0);
    } finally {
      catalog.close();
    }
  });

  it('rebuilds the derived tables (sign bits, point-read rows) of a catalog written without them', () => {
    const dir = tempDir('model-vectors-backfill');
    let catalog = Catalog.open(dir);
    const model = catalog.models.ensure('m#1', 'm', 8);
    const ids = ['/p/a.jpg', '/p/b.jpg'].map((p) => catalog.photos.upsert(photo(p)));
    ids.forEach((id, i) => catalog.embeddings(model).put(id, vector(i)));
    // As an older version left it: float vectors in vec0 only.
    catalog.db.exec(`DROP TABLE vec_model_${model.id}_rows; DELETE FROM vec_model_${model.id}_bits`);
    catalog.close();

    catalog = Catalog.open(dir);
    try {
      const store = catalog.embeddings(model);
      expect(Array.from(store.get(ids[1]!)!)).toEqual(Array.from(vector(1)));
      expect(store.scores(vector(1), ids).map((n) => n.photoId)).toEqual([ids[1], ids[0]]);
      expect(store.scores(vector(1), ids)[0]!.score).toBeCloseTo(1, 5);
      expect([...store.allBits()].length).toBe(2);
    } finally {
      catalog.close();
    }
  });
});
