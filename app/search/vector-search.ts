import type { Catalog } from '../catalog/catalog.js';
import type { EmbeddingStore, Neighbour } from '../catalog/embeddings.js';
import type { BrowseFilters } from '../catalog/photo-browse.js';
import { BinaryIndex, type ScanThreads } from './binary-index.js';

/** Restricts a search: every condition given must hold. */
export interface SearchFilter extends Pick<BrowseFilters, 'folderIds' | 'takenFrom' | 'takenTo'> {
  /** Only these photos (e.g. the photos carrying a tag). */
  photoIds?: Iterable<number>;
}

export interface VectorSearchOptions extends ScanThreads {
  /** Above this many vectors, search goes through the quantized first pass (default QUANTIZE_ABOVE). */
  quantizeAbove?: number;
  /** Candidates re-scored exactly per result wanted on the quantized path. */
  oversample?: number;
}

/**
 * Exact sqlite-vec k-NN answers in ~5 ms per 10 000 photos (48 ms at 100 000, measured in `npm run bench --
 * search`), over the 30 ms goal at 100 000; the quantized pass stays within it. Below this size exact is
 * fast enough, so results there are exact.
 */
export const QUANTIZE_ABOVE = 20_000;
const OVERSAMPLE = 16;
/** Exact path with a filter: fetch this many times k from the index before falling back to the filtered set. */
const OVERFETCH = 4;

/**
 * The k nearest photos to a query vector, exact below `quantizeAbove` vectors and quantized (sign bits,
 * then exact re-scoring, see [Note: quantized first pass]) above it, optionally restricted by a filter.
 * A filter never loses results: on the exact path the index is over-fetched and, when too few of those pass,
 * the filtered photos are scored one by one; on the quantized path the filter masks the scan itself.
 */
export class VectorSearch {
  private index: BinaryIndex | undefined;
  /** count(*) on a vec0 table walks it (15 ms at 100 000 rows): counted once per library state. */
  private count: number | undefined;

  constructor(
    private readonly catalog: Catalog,
    private readonly embeddings: EmbeddingStore,
    private readonly options: VectorSearchOptions = {},
  ) {}

  /** Call after the library changed: the in-memory bits are reloaded next time. */
  invalidate(): void {
    void this.index?.close();
    this.index = undefined;
    this.count = undefined;
  }

  /** How many photos have vectors (as of the last invalidate). */
  get size(): number {
    this.count ??= this.embeddings.count();
    return this.count;
  }

  /** Scan helper threads listening (0 until the quantized index is loaded and they have started). */
  get helperThreads(): number {
    return this.index?.helperThreads ?? 0;
  }

  /** Whether a search of this library takes the quantized path. */
  get quantized(): boolean {
    return this.size > (this.options.quantizeAbove ?? QUANTIZE_ABOVE);
  }

  nearest(query: Float32Array, k: number, filter?: SearchFilter): Neighbour[] {
    if (k <= 0) return [];
    const allowed = filter && hasConditions(filter) ? this.allowedIds(filter) : undefined;
    return this.quantized ? this.nearestQuantized(query, k, allowed) : this.nearestExact(query, k, allowed);
  }

  private nearestExact(query: Float32Array, k: number, allowed: Set<number> | undefined): Neighbour[] {
    if (!allowed) return this.embeddings.nearest(query, k);
    // No more photos allowed than asked for: score just those (a smart album's slice, a small album or tag).
    if (allowed.size <= k) return this.embeddings.scores(query, allowed).slice(0, k);
    const total = this.size;
    const fetch = Math.min(total, k * OVERFETCH);
    const passing = this.embeddings.nearest(query, fetch).filter((n) => allowed.has(n.photoId));
    // The index's top `fetch` hold the filtered set's top k whenever k of them pass, or when they are all.
    if (passing.length >= k || fetch === total) return passing.slice(0, k);
    return this.embeddings.scores(query, allowed).slice(0, k);
  }

  private nearestQuantized(query: Float32Array, k: number, allowed: Set<number> | undefined): Neighbour[] {
    this.index ??= BinaryIndex.load(this.embeddings, this.options);
    const mask = allowed ? this.index.mask(allowed) : undefined;
    const candidates = this.index.nearest(query, k * (this.options.oversample ?? OVERSAMPLE), mask);
    return this.embeddings.scores(query, candidates).slice(0, k);
  }

  private allowedIds(filter: SearchFilter): Set<number> {
    const { photoIds, ...rest } = filter;
    const restricted = photoIds ? new Set(photoIds) : undefined;
    if (!hasConditions(rest)) return restricted ?? new Set();
    const matching = this.catalog.browse.ids(rest);
    return new Set(restricted ? matching.filter((id) => restricted.has(id)) : matching);
  }
}

function hasConditions(f: SearchFilter): boolean {
  return f.photoIds !== undefined || f.folderIds !== undefined || f.takenFrom !== undefined || f.takenTo !== undefined;
}
