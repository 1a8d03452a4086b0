import type { EmbeddingStore } from '../catalog/embeddings.js';
import { ScanHelpers } from './scan-helpers.js';
import { binScale, SCAN_BINS, scanSigns } from './sign-scan.js';

/**
 * [Note: quantized first pass]
 * Above QUANTIZE_ABOVE photos (vector-search.ts) a query first scores every photo against its sign bits
 * (512 bits = 64 bytes per photo, 64 MB in memory at 1 000 000 photos), then re-scores the best
 * `limit × OVERSAMPLE` with the exact cosine of the float vectors (×16: recall@50 0.999 against exact at
 * 100 000 and 1 000 000 synthetic photos, ×8: 0.945; see docs/benchmarks.md). The bits live in a sqlite-vec `bit[dim]`
 * table kept beside the float one (embeddings.ts), but the scan runs here over a copy in memory: sqlite-vec
 * 0.1.9 selects its top k per 1 024-row chunk in O(chunk × k), so a k = 400 query over 100 000 bit vectors
 * took 45 ms against 2.7 ms for k = 13 (measured), while this scan's cost does not depend on k. A
 * restriction (filters) is a mask over the same rows, so filtering loses nothing the scan would have seen.
 * Large indexes split the scan between threads ([Note: parallel sign scan]).
 */

/** Below this many rows the whole scan takes a few ms on one thread: no helper threads. */
export const PARALLEL_SCAN_ABOVE = 50_000;

export interface ScanThreads {
  /** Helper threads for a large index (default: one per spare core; 0: none). */
  helperThreads?: number;
  /** Rows above which helpers start (default PARALLEL_SCAN_ABOVE). */
  parallelAbove?: number;
}

export class BinaryIndex {
  /** Row scores of the last query, shared with the scan helpers. */
  private readonly scores: Float32Array;
  private readonly helpers: ScanHelpers | undefined;
  private rows: Int32Array | undefined;

  private constructor(
    readonly ids: Int32Array,
    private readonly codes: Uint32Array,
    private readonly words: number,
    threads: ScanThreads,
  ) {
    this.scores = new Float32Array(new SharedArrayBuffer(Math.max(1, ids.length) * 4));
    const parallel = threads.helperThreads !== 0 && ids.length > (threads.parallelAbove ?? PARALLEL_SCAN_ABOVE);
    this.helpers = parallel ? new ScanHelpers(codes, words, this.scores, threads.helperThreads) : undefined;
  }

  /** Reads every photo's bits from the store (0.5–0.8 s at 1 000 000 photos) into shared memory. */
  static load(store: EmbeddingStore, threads: ScanThreads = {}): BinaryIndex {
    const words = Math.ceil(store.model.dim / 32);
    const { ids, vectors, bytesPerVector } = store.allBits();
    const codes = new Uint32Array(new SharedArrayBuffer(Math.max(1, ids.length * words) * 4));
    const bytes = new Uint8Array(codes.buffer);
    if (bytesPerVector === words * 4) bytes.set(vectors);
    else for (let row = 0; row < ids.length; row++) bytes.set(vectors.subarray(row * bytesPerVector, (row + 1) * bytesPerVector), row * words * 4);
    return new BinaryIndex(ids, codes.subarray(0, ids.length * words), words, threads);
  }

  /** Row of each photo id (-1: none), built on the first filtered search. */
  private rowOf(): Int32Array {
    if (!this.rows) {
      let max = 0;
      for (const id of this.ids) max = Math.max(max, id);
      this.rows = new Int32Array(max + 1).fill(-1);
      this.ids.forEach((id, row) => (this.rows![id] = row));
    }
    return this.rows;
  }

  get size(): number {
    return this.ids.length;
  }

  /** Scan helper threads listening now (0 for a small index). */
  get helperThreads(): number {
    return this.helpers?.ready ?? 0;
  }

  /** A mask over the rows allowing only `photoIds` (ids not in the index are ignored). */
  mask(photoIds: Iterable<number>): Uint8Array {
    const out = new Uint8Array(new SharedArrayBuffer(Math.max(1, this.ids.length)));
    const rows = this.rowOf();
    for (const id of photoIds) {
      const row = id >= 0 && id < rows.length ? rows[id]! : -1;
      if (row >= 0) out[row] = 1;
    }
    return out;
  }

  /**
   * The photo ids of the `count` rows scoring highest against `query`, each row scored as the dot product of
   * the float query with the row's signs (±1): asymmetric, so only the photos are quantized, not the query,
   * which ranks far better than the Hamming distance between two sign codes for the same number of
   * re-scored candidates. Per row: one table lookup per byte of bits.
   */
  nearest(query: Float32Array, count: number, allowed?: Uint8Array): number[] {
    const bytesPerRow = this.words * 4;
    // tables[j * 256 + v]: the sum of the query's values at the bits set in byte value v of byte j
    // (sqlite-vec's bit order: bit i of the vector is bit i % 8 of byte i / 8). Unset bits count as -1,
    // so a row's score is 2 × Σ tables - Σ query, and the constant does not change the order.
    const tables = new Float32Array(new SharedArrayBuffer(bytesPerRow * 256 * 4));
    for (let j = 0; j < bytesPerRow; j++) {
      for (let v = 1; v < 256; v++) {
        const low = v & -v;
        const bit = 31 - Math.clz32(low);
        tables[j * 256 + v] = tables[j * 256 + (v ^ low)]! + (query[j * 8 + bit] ?? 0);
      }
    }
    // Scores lie in [-bound, bound] (bound = Σ|q|): a histogram over that range finds the bin holding the
    // count-th best; the rows at or above it are few and are sorted exactly.
    let bound = 0;
    for (const x of query) bound += Math.abs(x);
    const n = this.ids.length;
    const scores = this.scores;
    const histogram = new Uint32Array(SCAN_BINS);
    const job = { tables, bound, scale: binScale(bound), allowed };
    if (this.helpers) this.helpers.scan(job, n, histogram);
    else scanSigns(this.codes, this.words, { ...job, from: 0, to: n }, scores, histogram);
    let bin = SCAN_BINS - 1;
    let above = 0;
    while (bin > 0 && above + histogram[bin]! < count) above += histogram[bin--]!;
    const out: number[] = [];
    // The bin's lower edge as a score, less a hair for rounding: a few extra rows only cost the sort.
    const floor = bin / job.scale - bound - 1e-6;
    for (let row = 0; row < n; row++) if (scores[row]! >= floor) out.push(row);
    out.sort((a, b) => scores[b]! - scores[a]!);
    return out.slice(0, count).map((row) => this.ids[row]!);
  }

  /** Stops the scan helpers; the index is unusable afterwards. */
  async close(): Promise<void> {
    await this.helpers?.close();
  }
}
