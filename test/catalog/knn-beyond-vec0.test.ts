import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../app/catalog/catalog.js';
import { l2Normalize } from '../../app/util/vector.js';
import { tempDir } from '../helpers/cli.js';
import { random } from '../helpers/synthetic-vectors.js';

describe('EmbeddingStore.nearest beyond vec0\'s k limit', () => {
  it('answers k above 4 096 (vec0 refuses one KNN query that large) with the same order as below it', () => {
    const dir = tempDir('knn-beyond');
    const catalog = Catalog.open(dir);
    try {
      const store = catalog.embeddings(catalog.models.ensure('test#8', 'test', 8));
      const rnd = random(5);
      catalog.transaction(() => {
        for (let id = 1; id <= 4200; id++) store.put(id, l2Normalize(Float32Array.from({ length: 8 }, () => rnd() - 0.5)));
      });
      const query = l2Normalize(Float32Array.from({ length: 8 }, (_, i) => i - 3.5));
      const all = store.nearest(query, 4200);
      expect(all).toHaveLength(4200);
      for (let i = 1; i < all.length; i++) expect(all[i - 1]!.score).toBeGreaterThanOrEqual(all[i]!.score);
      // The first 4 096 are vec0's own answer.
      expect(all.slice(0, 4096).map((n) => n.photoId)).toEqual(store.nearest(query, 4096).map((n) => n.photoId));
      expect(store.nearest(query, 5000)).toHaveLength(4200);
    } finally {
      catalog.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
