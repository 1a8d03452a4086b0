/**
 * Search latency over synthetic libraries: exact vs quantized k-NN (top 50), recall@50 of the quantized
 * path against exact, filtered searches on the automatically chosen path, and — when the ViT-B/32-cost
 * pack is present — full text searches through Searcher (query embedding, k-NN, relevance cut-off).
 */
import { Catalog } from '../../app/catalog/catalog.js';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { Searcher } from '../../app/search/searcher.js';
import { QUANTIZE_ABOVE, VectorSearch, type SearchFilter } from '../../app/search/vector-search.js';
import { gaussian, nearPoint, random } from '../helpers/synthetic-vectors.js';
import { emit, percentile, round } from './report.js';
import { catalogBytes, MODEL_KEY, syntheticLibrary } from './synthetic-library.js';

const K = 50;

function latencies(times: number[]): { p50Ms: number; p95Ms: number; p99Ms: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50Ms: round(percentile(sorted, 0.5)), p95Ms: round(percentile(sorted, 0.95)), p99Ms: round(percentile(sorted, 0.99)) };
}

function measure<T>(queries: Float32Array[], fn: (q: Float32Array) => T): { results: T[]; times: number[] } {
  const results: T[] = [];
  const times: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    results.push(fn(q));
    times.push(performance.now() - t);
  }
  return { results, times };
}

export async function benchSearch(count: number, vitPack: string | undefined): Promise<void> {
  const library = syntheticLibrary(count);
  const catalog = Catalog.open(library.dir);
  const store = catalog.embeddings(catalog.models.ensure(MODEL_KEY, 'synthetic', 512));
  emit({ bench: 'catalog-size', model: 'synthetic 512-d', photos: count, bytes: catalogBytes(library.dir), bytesPerPhoto: Math.round(catalogBytes(library.dir) / count) });
  const g = gaussian(random(2024));
  // Text queries land near a subject's centre; 1 000 photos per subject share it, so the top 50 must be ranked within a crowd.
  const queries = Array.from({ length: count >= 1_000_000 ? 40 : 100 }, (_, i) => nearPoint(library.topics[(i * 7) % library.topics.length]!, 1, g));

  const exact = new VectorSearch(catalog, store, { quantizeAbove: Infinity });
  exact.nearest(queries[0]!, K); // page cache warm, as for any later query
  const e = measure(queries, (q) => exact.nearest(q, K).map((n) => n.photoId));
  emit({ bench: 'search-exact', model: 'synthetic 512-d', photos: count, queries: queries.length, k: K, ...latencies(e.times) });

  for (const oversample of [8, 16]) {
    const quantized = new VectorSearch(catalog, store, { quantizeAbove: 0, oversample });
    const t = performance.now();
    quantized.nearest(queries[0]!, K); // loads the sign bits into memory: once per session
    const loadMs = performance.now() - t;
    const qz = measure(queries, (q) => quantized.nearest(q, K).map((n) => n.photoId));
    const recalls = qz.results.map((found, i) => found.filter((id) => e.results[i]!.includes(id)).length / K);
    emit({ bench: 'search-quantized', model: 'synthetic 512-d', photos: count, oversample, queries: queries.length, k: K, ...latencies(qz.times),
      firstQueryLoadMs: round(loadMs), recallAt50Mean: round((recalls.reduce((a, b) => a + b, 0) / recalls.length) * 1000) / 1000,
      recallAt50Min: Math.min(...recalls), automaticPath: count > QUANTIZE_ABOVE ? 'quantized' : 'exact' });
  }

  const auto = new VectorSearch(catalog, store);
  const folders = catalog.folders.list();
  const filters: [string, SearchFilter][] = [
    ['one folder (1 %)', { folderIds: [folders[3]!.id] }],
    ['one year (10 %)', { takenFrom: '2019-01-01', takenTo: '2019-12-31' }],
    ['restriction set (500 photos)', { photoIds: Array.from({ length: 500 }, (_, i) => 1 + Math.floor((i * count) / 500)) }],
  ];
  // The exact filtered reference scores up to 100 000 photos one by one at 1 000 000: fewer queries there.
  const filteredQueries = queries.slice(0, count >= 1_000_000 ? 5 : 20);
  for (const [name, filter] of filters) {
    auto.nearest(queries[0]!, K, filter);
    const f = measure(filteredQueries, (q) => auto.nearest(q, K, filter).map((n) => n.photoId));
    const truth = measure(filteredQueries, (q) => exact.nearest(q, K, filter).map((n) => n.photoId));
    const r = f.results.map((found, i) => (truth.results[i]!.length ? found.filter((id) => truth.results[i]!.includes(id)).length / truth.results[i]!.length : 1));
    emit({ bench: 'search-filtered', model: 'synthetic 512-d', photos: count, filter: name, path: auto.quantized ? 'quantized' : 'exact', ...latencies(f.times),
      exactFilteredP50Ms: latencies(truth.times).p50Ms, recallAt50VsExactFiltered: round(r.reduce((a, b) => a + b, 0) / r.length * 1000) / 1000 });
  }

  if (vitPack) {
    // End to end as the app runs it: embed the text (ViT-B/32 text tower cost), k-NN on the automatic path, relevance.
    const searcher = new Searcher(catalog, store, new ClipModel(loadModelPack(vitPack)));
    const words = ['boats on a lake', 'a red car', 'children at the beach', 'snow in the mountains', 'birthday cake', 'a dog in the park'];
    await searcher.searchText(words[0]!, { limit: K, all: true }); // sessions, statistics sample, sign bits
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      const s = performance.now();
      await searcher.searchText(`${words[i % words.length]} ${i}`, { limit: K, all: true });
      times.push(performance.now() - s);
    }
    emit({ bench: 'search-text', model: 'vit-b32-shape', photos: count, queries: times.length, path: count > QUANTIZE_ABOVE ? 'quantized' : 'exact', ...latencies(times) });
  }
  catalog.close();
}
