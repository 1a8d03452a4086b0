import type { Catalog } from '../catalog/catalog.js';
import type { EmbeddingStore } from '../catalog/embeddings.js';
import type { ClipModel } from '../model/clip-model.js';
import { UserError } from '../util/errors.js';
import { likeTheseQuery } from './like-these.js';
import { parseQuery } from './parse-query.js';
import { VectorSearch, type SearchFilter, type VectorSearchOptions } from './vector-search.js';
import { logitScaleOf } from '../tagging/logit-scale.js';
import { GENERIC_CONTRASTS } from './contrasts.js';
import { modelCalibration } from './model-calibration.js';
import { queryTexts } from './query-texts.js';
import { anchoredRelevance, anchorQuery, MATCH_LOG_ODDS, matchCount, relevance, scoreDistribution, type QueryAnchor } from './relevance.js';

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
  /**
   * Text search: the log-odds of the query against its strongest alternative ([Note: query-anchored cut-off];
   * ≥ MATCH_LOG_ODDS is a match), less the penalty of negated terms. Similar-photo search: how far above the
   * library's typical score, in robust standard deviations ([Note: adaptive relevance cut-off]).
   */
  relevance: number;
}

/** A photo this far above typical on a negated term is taken to show it (similar-photo search has none). */
const NEGATIVE_WEIGHT = 1;
/**
 * Candidates judged per result wanted by the query-anchored cut-off: matches are not a prefix of the cosine
 * ranking (a photo may rank high on "a red circle" because it is red and round, yet be a red ring), so a page
 * of matches is looked for among more photos than it shows.
 */
const CANDIDATES_PER_RESULT = 4;
const SAMPLE_SIZE = 2000;
/** Text vectors kept per process: 4 096 × 512 floats = 8 MB at most. */
const TEXT_MEMO_SIZE = 4096;
const MIN_SAMPLE_FOR_STATISTICS = 30;
/** Cosine above the library's typical score that a match needs in a library too small for statistics. */
const SMALL_LIBRARY_MARGIN = 0.02;

/**
 * Text and "similar photo" search over one model's vectors: k-nearest neighbours from sqlite-vec, then for text
 * the query-anchored cut-off of [Note: query-anchored cut-off] and the negative-term penalty, for similar
 * photos the library-relative cut-off of [Note: adaptive relevance cut-off].
 */
export class Searcher {
  private sample: Float32Array[] | undefined;
  private packLogitScale: number | undefined;
  private readonly textMemo = new Map<string, Float32Array>();
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
    const found = queryTexts(query);
    if (!found) throw new UserError('empty search: say what to look for');
    // Each term with its alternatives ([Note: contrast prompts]), in one batch through the text tower.
    const { terms, alternatives, texts } = found;
    const embedding = this.embedTexts(texts);
    const calibration = modelCalibration(this.model);
    const vectors = await embedding;
    const cal = await calibration;
    // The sign bits of the quantized pass are taken around the model's centre ([Note: centred sign bits]):
    // once per model (and again only if the calibration changes), the library's bits are re-quantized.
    if (this.embeddings.useSignCentre(cal.imageMean)) this.vectors.invalidate();
    let next = terms.length;
    const anchors = terms.map((_, i) => {
      const own = vectors.slice(next, next + alternatives[i]!.length);
      next += alternatives[i]!.length;
      return anchorQuery(vectors[i]!, own, cal, alternatives[i]!.map((a) => a.allowance), terms[i]);
    });
    // A query none of whose words has an alternative (see [Note: query without alternatives]).
    const unanchored = alternatives[0]!.length <= GENERIC_CONTRASTS.length;
    return this.rankText(vectors[0]!, anchors[0]!, anchors.slice(1), options, unanchored);
  }

  /**
   * Text search: candidates by cosine, each judged on its own ([Note: query-anchored cut-off]); photos showing
   * a negated term (their relevance on it is a match) are ranked down by how clearly they show it.
   */
  private rankText(query: Float32Array, anchor: QueryAnchor, negatives: QueryAnchor[], options: SearchOptions, unanchored = false): SearchResult[] {
    const limit = Math.max(1, Math.trunc(options.limit ?? 50));
    const total = this.vectors.size;
    const k = Math.min(total, options.all && negatives.length === 0 ? limit : limit * CANDIDATES_PER_RESULT + 20);
    const neighbours = this.vectors.nearest(query, k, this.filterOf(options));
    this.packLogitScale ??= logitScaleOf(this.model.pack);
    const scale = this.packLogitScale;
    const ranked = neighbours.map((n) => {
      const vector = this.embeddings.get(n.photoId)!;
      let r = anchoredRelevance(vector, anchor);
      // The ranking stays the cosine's (in log-odds units, so that a negated term's penalty can be subtracted).
      let key = scale * n.score;
      let showsNegated = false;
      for (const neg of negatives) {
        // A photo that matches a negated term by the same rule shows it: never a default result, and ranked
        // down by how clearly it shows it.
        const shows = anchoredRelevance(vector, neg) - MATCH_LOG_ODDS;
        if (shows >= 0) {
          showsNegated = true;
          key -= NEGATIVE_WEIGHT * (1 + shows);
          r -= NEGATIVE_WEIGHT * (1 + shows);
        }
      }
      return { photoId: n.photoId, score: n.score, relevance: r, key, showsNegated };
    });
    ranked.sort((a, b) => b.key - a.key);
    let kept = options.all ? ranked : ranked.filter((r) => r.relevance >= MATCH_LOG_ODDS && !r.showsNegated);
    if (unanchored && !options.all) {
      // [Note: query without alternatives]
      // A query with no word of any known kind ("qwxz vbnm"; a name the vocabulary does not list) has only the
      // generic texts to be judged against, and a text the model has no meaning for ties with them at
      // arbitrary odds on many photos: the anchored rule alone returned 4-5 of the 96 samples for "qwxz vbnm",
      // and a margin of 2 : 1 over the generic texts still 4. Such a query's scores are flat across the
      // library, which the library-relative rule sees (no photo stands out of the crowd), so these queries
      // also need it. That brings back the library's influence, for these queries only: the honest price of
      // having no alternatives to anchor them (issue 13).
      const sample = this.getSample();
      const dist = scoreDistribution(sample, query);
      const byScore = [...ranked].sort((a, b) => b.score - a.score);
      const relevances = byScore.map((r) => ({ score: r.score, relevance: relevance(r.score, dist) }));
      const standOut = new Set(byScore.slice(0, this.defaultMatches(relevances, sample.length, dist.median)).map((r) => r.photoId));
      kept = kept.filter((r) => standOut.has(r.photoId));
    }
    return kept.slice(0, limit).map(({ key: _, showsNegated: __, ...r }) => ({ ...r, path: this.catalog.photos.byId(r.photoId)!.path }));
  }

  /**
   * Text vectors through a per-process memo: a query's alternatives are 20–50 texts through the text tower
   * (50–170 ms with int8 ViT-B/32 on a CPU, see docs/benchmarks.md "Issue 13"), and the generic ones, like a
   * query typed again, are the same every time. Bounded: the oldest half is dropped when it is full.
   */
  private async embedTexts(texts: string[]): Promise<Float32Array[]> {
    const missing = [...new Set(texts.filter((t) => !this.textMemo.has(t)))];
    if (missing.length > 0) {
      const embedded = await this.model.embedTexts(missing);
      if (this.textMemo.size + missing.length > TEXT_MEMO_SIZE) [...this.textMemo.keys()].slice(0, this.textMemo.size / 2).forEach((k) => this.textMemo.delete(k));
      missing.forEach((t, i) => this.textMemo.set(t, embedded[i]!.embedding));
    }
    return texts.map((t) => this.textMemo.get(t)!);
  }

  private filterOf(options: SearchOptions): SearchFilter {
    const { folderIds, takenFrom, takenTo, photoIds } = options;
    return { ...(folderIds && { folderIds }), ...(takenFrom !== undefined && { takenFrom }), ...(takenTo !== undefined && { takenTo }), ...(photoIds && { photoIds }) };
  }

  async searchSimilar(photoPath: string, options: SearchOptions = {}): Promise<SearchResult[]> {
    const photo = this.catalog.photos.byPath(photoPath);
    const vector = photo ? this.embeddings.get(photo.id) : undefined;
    if (!photo || !vector) throw new UserError(`not in the library: ${photoPath} (index its folder first)`);
    return this.rankSimilar(vector, options, new Set([photo.id]));
  }

  /**
   * "More like these": photos like all of `photoIds` at once, steered by `text` ("at night", "without people");
   * see [Note: more like these]. One photo without words is searchSimilar. The photos themselves are left out.
   */
  async searchLikeThese(photoIds: readonly number[], text: string | undefined, options: SearchOptions = {}): Promise<SearchResult[]> {
    const query = await this.likeTheseVector(photoIds, text);
    return this.rankSimilar(query, options, new Set(photoIds));
  }

  /** The query vector of searchLikeThese (for inspection and tests). */
  async likeTheseVector(photoIds: readonly number[], text: string | undefined): Promise<Float32Array> {
    const vectors = photoIds.map((id) => this.embeddings.get(id));
    const missing = photoIds.filter((_, i) => !vectors[i]);
    if (missing.length > 0) throw new UserError(`not in the library (or not indexed yet): photo ${missing.join(', ')}`);
    // " " first: "without people" alone is a negation too (the parser looks for it after a word boundary).
    const parsed = text?.trim() ? parseQuery(` ${text.trim()}`) : { positive: '', negatives: [] };
    if (vectors.length === 1 && !parsed.positive && parsed.negatives.length === 0) return vectors[0]!;
    const texts = [...(parsed.positive ? [parsed.positive] : []), ...parsed.negatives];
    const [cal, textVectors] = await Promise.all([modelCalibration(this.model), this.embedTexts(texts)]);
    const towards = parsed.positive ? textVectors.slice(0, 1) : [];
    const away = textVectors.slice(towards.length);
    return likeTheseQuery(vectors as Float32Array[], { towards, away }, cal, this.getSample());
  }

  /** Similar-photo search keeps the library-relative cut-off of [Note: adaptive relevance cut-off]. */
  private rankSimilar(query: Float32Array, options: SearchOptions, exclude: ReadonlySet<number>): SearchResult[] {
    const limit = Math.max(1, Math.trunc(options.limit ?? 50));
    const total = this.vectors.size;
    // One more than the page shows where the matches end (see matchCount), and the query's own photos.
    const k = Math.min(total, limit + 1 + exclude.size);
    const neighbours = this.vectors.nearest(query, k, this.filterOf(options)).filter((n) => !exclude.has(n.photoId));
    const sample = this.getSample();
    const dist = scoreDistribution(sample, query);
    const ranked = neighbours.map((n) => ({ photoId: n.photoId, score: n.score, relevance: relevance(n.score, dist) }));
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
