import type { Catalog } from '../catalog/catalog.js';
import type { EmbeddingStore } from '../catalog/embeddings.js';
import type { ClipModel } from '../model/clip-model.js';
import { UserError } from '../util/errors.js';
import { dot } from '../util/vector.js';
import { parseQuery } from './parse-query.js';
import { VectorSearch, type SearchFilter, type VectorSearchOptions } from './vector-search.js';
import { matchCount, relevance, scoreDistribution, type ScoreDistribution } from './relevance.js';

export interface SearchOptions extends SearchFilter {
  /** At most this many results (default 50). */
  limit?: number;
  /** Return the best `limit` photos even below the relevance cut-off. */
  all?: boolean;
  // Filters (SearchFilter): folderIds, takenFrom / takenTo (inclusive), photoIds (a restriction set, e.g. a tag's photos).
}

export interface SearchResult {
  photoId: number;
  path: string;
  /** Cosine similarity of the photo to the (positive part of the) query. */
  score: number;
  /** How far above the library's typical score for this query, in robust standard deviations. */
  relevance: number;
}

/** A photo this far above typical on a negated term is taken to show it. */
const NEGATIVE_FLOOR = 2;
const NEGATIVE_WEIGHT = 1;
const SAMPLE_SIZE = 2000;
const MIN_SAMPLE_FOR_STATISTICS = 30;
/** Cosine above the library's typical score that a match needs in a library too small for statistics. */
const SMALL_LIBRARY_MARGIN = 0.02;

/**
 * Text and "similar photo" search over one model's vectors: k-nearest neighbours from sqlite-vec, then the
 * adaptive cut-off of [Note: adaptive relevance cut-off] and the negative-term penalty.
 */
export class Searcher {
  private sample: Float32Array[] | undefined;
  private readonly vectors: VectorSearch;

  constructor(
    private readonly catalog: Catalog,
    private readonly embeddings: EmbeddingStore,
    private readonly model: ClipModel,
    vectorOptions: VectorSearchOptions = {},
  ) {
    this.vectors = new VectorSearch(catalog, embeddings, vectorOptions);
  }

  /** Call after the library changed: the per-query statistics are drawn from a fresh sample next time. */
  invalidate(): void {
    this.sample = undefined;
    this.vectors.invalidate();
  }

  async searchText(query: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    const parsed = parseQuery(query);
    if (!parsed.positive) throw new UserError('empty search: say what to look for');
    const embedding = this.model.embedTexts([parsed.positive, ...parsed.negatives]);
    // The library's score sample does not depend on the query: on a cold start it is read while another thread
    // tokenizes the query (see [Note: the first query's tokens on another thread]).
    this.getSample();
    const [positive, ...negatives] = await embedding;
    return this.rank(
      positive!.embedding,
      negatives.map((n) => n.embedding),
      options,
    );
  }

  async searchSimilar(photoPath: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    const photo = this.catalog.photos.byPath(photoPath);
    const vector = photo ? this.embeddings.get(photo.id) : undefined;
    if (!photo || !vector) throw new UserError(`not in the library: ${photoPath} (index its folder first)`);
    return this.rank(vector, [], options, photo.id);
  }

  private rank(query: Float32Array, negatives: Float32Array[], options: SearchOptions, excludeId?: number): SearchResult[] {
    const limit = Math.max(1, Math.trunc(options.limit ?? 50));
    const total = this.vectors.size;
    // Negatives push matches down, so fetch extra candidates to still fill the page after re-ranking; one
    // more than the page shows where the matches end (see matchCount).
    const k = Math.min(total, (negatives.length > 0 ? limit * 3 + 20 : limit + 1) + (excludeId === undefined ? 0 : 1));
    const { folderIds, takenFrom, takenTo, photoIds } = options;
    const filter: SearchFilter = { ...(folderIds && { folderIds }), ...(takenFrom !== undefined && { takenFrom }), ...(takenTo !== undefined && { takenTo }), ...(photoIds && { photoIds }) };
    const neighbours = this.vectors.nearest(query, k, filter).filter((n) => n.photoId !== excludeId);
    const sample = this.getSample();
    const dist = scoreDistribution(sample, query);
    const negativeDists = negatives.map((n) => scoreDistribution(sample, n));

    const ranked = neighbours.map((n) => {
      let r = relevance(n.score, dist);
      if (negatives.length > 0) {
        const vector = this.embeddings.get(n.photoId)!;
        const worst = Math.max(...negatives.map((neg, i) => relevance(dot(vector, neg), negativeDists[i] as ScoreDistribution)));
        r -= NEGATIVE_WEIGHT * Math.max(0, worst - NEGATIVE_FLOOR);
      }
      return { photoId: n.photoId, score: n.score, relevance: r };
    });
    ranked.sort((a, b) => b.relevance - a.relevance);
    const kept = options.all ? ranked : ranked.slice(0, this.defaultMatches(ranked, sample.length, dist.median));
    return kept.slice(0, limit).map((r) => ({ ...r, path: this.catalog.photos.byId(r.photoId)!.path }));
  }

  /**
   * How many ranked photos are matches. A library of a few photos has no crowd to stand out from (its
   * spread is meaningless), so there the matches are the photos scoring in the upper half between the typical
   * score and the best one, and at least SMALL_LIBRARY_MARGIN above typical: one photo matches nothing.
   */
  private defaultMatches(ranked: { score: number; relevance: number }[], sampleSize: number, median: number): number {
    if (sampleSize >= MIN_SAMPLE_FOR_STATISTICS) return matchCount(ranked.map((r) => r.relevance));
    const best = ranked[0]?.score ?? median;
    const bar = Math.max((best + median) / 2, median + SMALL_LIBRARY_MARGIN);
    return ranked.filter((r) => r.score >= bar).length;
  }


  private getSample(): Float32Array[] {
    this.sample ??= this.embeddings.sample(SAMPLE_SIZE).map((s) => s.embedding);
    return this.sample;
  }
}
