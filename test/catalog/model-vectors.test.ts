import { describe, expect, it } from 'vitest';
import { Catalog } from '../../app/catalog/catalog.js';
import { EMPTY_METADATA } from '../../app/image/metadata.js';
import { readVectorChunks, readVectorRows, type VectorRows } from '../../app/catalog/vec0-chunks.js';
import { tempDir } from '../helpers/cli.js';

const photo = (p: string) => ({ path: p, folderId: null, size: 1, mtimeMs: 1, contentHash: p, format: 'jpeg', width: 1, height: 1, ...EMPTY_METADATA, dhash: null, dhashStableBits: null, sharpness: null });
const byId = (r: VectorRows) => new Map(Array.from(r.ids, (id, i) => [id, Buffer.from(r.vectors.subarray(i * r.bytesPerVector, (i + 1) * r.bytesPerVector)).toString('hex')]));
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
      expect(store.allBits().ids.length).toBe(2);
    } finally {
      catalog.close();
    }
  });

  it('reads the sign bits by whole vec0 chunks exactly as the row cursor does, after deletes and rewrites', () => {
    const catalog = Catalog.open(tempDir('model-vectors-chunks'));
    try {
      const model = catalog.models.ensure('m#64', 'm', 64);
      const store = catalog.embeddings(model);
      const rnd = (i: number) => Float32Array.from({ length: 64 }, (_, j) => Math.sin(i * 7.3 + j * 1.7));
      const ids = catalog.transaction(() => Array.from({ length: 2500 }, (_, i) => {
        const id = catalog.photos.upsert(photo(`/p/${i}.jpg`));
        store.put(id, rnd(i));
        return id;
      }));
      catalog.transaction(() => {
        for (const id of ids.filter((_, i) => i % 7 === 0)) store.delete(id); // holes in every chunk
        for (const id of ids.filter((_, i) => i % 11 === 0)) store.put(id, rnd(id + 5000)); // rewritten, moved to the end
      });
      const cursor = new Map((catalog.db.prepare(`SELECT photo_id AS id, embedding AS bits FROM ${store.bitsTable}`).all() as { id: number; bits: Buffer }[]).map((r) => [r.id, Buffer.from(r.bits).toString('hex')]));
      const chunked = readVectorChunks(catalog.db, store.bitsTable, 8, store.count());
      expect(chunked).toBeDefined();
      expect(byId(chunked!)).toEqual(cursor);
      expect(cursor.size).toBe(store.count());
      // Anything unexpected (here a count that does not match) falls back to the cursor.
      expect(readVectorChunks(catalog.db, store.bitsTable, 8, store.count() + 1)).toBeUndefined();
      expect(readVectorChunks(catalog.db, 'no_such_table', 8, 0)).toBeUndefined();
      expect(byId(store.allBits())).toEqual(cursor);
      const rows = catalog.db.prepare(`SELECT photo_id AS photoId, embedding AS bits FROM ${store.bitsTable}`).iterate() as IterableIterator<{ photoId: number; bits: Buffer }>;
      expect(byId(readVectorRows(rows, 8, store.count()))).toEqual(cursor); // the fallback
    } finally {
      catalog.close();
    }
  });
});
