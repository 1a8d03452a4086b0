import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../app/catalog/catalog.js';
import type { EmbeddingStore } from '../../app/catalog/embeddings.js';
import { EMPTY_METADATA } from '../../app/image/metadata.js';
import { VectorSearch, type SearchFilter } from '../../app/search/vector-search.js';
import { dot } from '../../app/util/vector.js';
import { tempDir } from '../helpers/cli.js';
import { gaussian, nearPoint, random, syntheticCatalog } from '../helpers/synthetic-vectors.js';

const COUNT = 4000;
const DIM = 512;
const dir = tempDir('vector-search');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('vector search: exact and quantized, with filters', () => {
  const synthetic = syntheticCatalog(COUNT, DIM, 3);
  let catalog: Catalog;
  let store: EmbeddingStore;
  const vectors = new Map<number, Float32Array>();
  const folderOf = new Map<number, number>();
  const dayOf = new Map<number, string>();
  const g = gaussian(random(99));
  const queries = Array.from({ length: 20 }, (_, i) => nearPoint(synthetic.topics[i % synthetic.topics.length]!, 1, g));
  let folders: number[];

  beforeAll(() => {
    catalog = Catalog.open(dir);
    store = catalog.embeddings(catalog.models.ensure('synthetic#512', 'synthetic', DIM));
    folders = [0, 1, 2, 3, 4].map((f) => catalog.folders.ensure(`/lib/f${f}`));
    catalog.transaction(() => {
      for (let i = 0; i < COUNT; i++) {
        const folderId = folders[i % 5]!;
        const day = `2020-01-${String(1 + (i % 28)).padStart(2, '0')}`;
        const id = catalog.photos.upsert({ path: `/lib/f${i % 5}/${i}.jpg`, folderId, size: 1, mtimeMs: 1, contentHash: `h${i}`, format: 'jpeg',
          width: 1, height: 1, ...EMPTY_METADATA, takenAt: `${day}T12:00:00`, dhash: null, dhashStableBits: null, sharpness: null });
        const v = synthetic.data.slice(i * DIM, (i + 1) * DIM);
        store.put(id, v);
        vectors.set(id, v);
        folderOf.set(id, folderId);
        dayOf.set(id, day);
      }
    });
  });

  /** Ground truth: every photo scored, the filtered ones kept, best first. */
  const truth = (q: Float32Array, k: number, keep: (id: number) => boolean = () => true) =>
    [...vectors].filter(([id]) => keep(id)).map(([id, v]) => ({ id, s: dot(q, v) })).sort((a, b) => b.s - a.s).slice(0, k).map((x) => x.id);
  const recall = (found: number[], expected: number[]) => found.filter((id) => expected.includes(id)).length / expected.length;

  it('the exact path returns the true top 50', () => {
    const exact = new VectorSearch(catalog, store);
    expect(exact.quantized).toBe(false);
    for (const q of queries) expect(exact.nearest(q, 50).map((n) => n.photoId)).toEqual(truth(q, 50));
  });

  it('the quantized path finds the true top 50 within a recall of 0.95, with exact scores', () => {
    const quantized = new VectorSearch(catalog, store, { quantizeAbove: 0 });
    expect(quantized.quantized).toBe(true);
    const recalls = queries.map((q) => {
      const found = quantized.nearest(q, 50);
      for (const n of found) expect(n.score).toBeCloseTo(dot(q, vectors.get(n.photoId)!), 5);
      return recall(found.map((n) => n.photoId), truth(q, 50));
    });
    const mean = recalls.reduce((a, b) => a + b, 0) / recalls.length;
    console.log(`quantized recall@50 on ${COUNT} × ${DIM}-d: mean ${mean.toFixed(3)}, worst ${Math.min(...recalls).toFixed(3)}`);
    expect(mean).toBeGreaterThanOrEqual(0.95);
  });

  const filters = (): [string, SearchFilter, (id: number) => boolean][] => {
    const few = [...vectors.keys()].filter((id) => id % 97 === 0);
    const inFolders = (ids: number[]) => (id: number) => ids.includes(folderOf.get(id)!);
    return [
      ['one folder', { folderIds: [folders[2]!] }, inFolders([folders[2]!])],
      ['two folders from a date', { folderIds: [folders[0]!, folders[4]!], takenFrom: '2020-01-10' }, (id) => inFolders([folders[0]!, folders[4]!])(id) && dayOf.get(id)! >= '2020-01-10'],
      ['a date range', { takenFrom: '2020-01-03', takenTo: '2020-01-04' }, (id) => dayOf.get(id)! >= '2020-01-03' && dayOf.get(id)! <= '2020-01-04'],
      ['a restriction set of 41', { photoIds: few }, (id) => id % 97 === 0],
    ];
  };

  it('filters lose nothing on the exact path: the top 50 of the filtered photos, exactly', () => {
    const exact = new VectorSearch(catalog, store);
    for (const [name, filter, keep] of filters()) {
      for (const q of queries.slice(0, 5)) expect(exact.nearest(q, 50, filter).map((n) => n.photoId), name).toEqual(truth(q, 50, keep));
    }
  });

  it('filters on the quantized path return only filtered photos, with the same recall as unfiltered', () => {
    const quantized = new VectorSearch(catalog, store, { quantizeAbove: 0 });
    for (const [name, filter, keep] of filters()) {
      const recalls = queries.slice(0, 5).map((q) => {
        const found = quantized.nearest(q, 50, filter).map((n) => n.photoId);
        for (const id of found) expect(keep(id), name).toBe(true);
        return recall(found, truth(q, 50, keep));
      });
      expect(recalls.reduce((a, b) => a + b, 0) / recalls.length, name).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('a scan split across helper threads returns what one thread returns, with and without filters', async () => {
    const single = new VectorSearch(catalog, store, { quantizeAbove: 0, helperThreads: 0 });
    const parallel = new VectorSearch(catalog, store, { quantizeAbove: 0, helperThreads: 2, parallelAbove: 0 });
    parallel.nearest(queries[0]!, 50); // loads the index and starts its helpers
    for (let waited = 0; parallel.helperThreads < 2 && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(parallel.helperThreads).toBe(2);
    try {
      for (const [name, filter] of [['none', undefined] as const, ...filters()]) {
        for (const q of queries.slice(0, 5)) expect(parallel.nearest(q, 50, filter), name).toEqual(single.nearest(q, 50, filter));
      }
    } finally {
      parallel.invalidate(); // stops the helpers
    }
  });

  it('rebuilds the sign bits from the float vectors when a catalog lacks them', () => {
    catalog.db.exec(`DELETE FROM ${store.bitsTable}`);
    catalog.close();
    catalog = Catalog.open(dir);
    store = catalog.embeddings(catalog.models.ensure('synthetic#512', 'synthetic', DIM));
    const bits = store.allBits();
    expect(bits.ids).toHaveLength(COUNT);
    const row = bits.ids.indexOf(1);
    expect(Buffer.from(bits.vectors.subarray(row * bits.bytesPerVector, (row + 1) * bits.bytesPerVector))).toEqual(store.quantize(vectors.get(1)!));
  });
});
