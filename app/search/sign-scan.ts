/**
 * The inner loop of the quantized first pass ([Note: quantized first pass]), shared by the searching thread
 * and its scan helper threads (scan-helpers.ts): scores rows `from`..`to` of the sign codes against a query's byte
 * tables and counts them into a histogram over [-bound, bound].
 */

/** Histogram bins over the score range: fine enough that the bin holding the k-th best holds few rows. */
export const SCAN_BINS = 1 << 14;

export interface ScanJob {
  /** tables[j * 256 + v]: the sum of the query's values at the bits set in byte value v of byte j. */
  tables: Float32Array;
  /** Σ|query|: every score lies in [-bound, bound]. */
  bound: number;
  /** Histogram bins per unit of score: binScale(bound). */
  scale: number;
  /** 1 allows a row; absent: every row. */
  allowed?: Uint8Array | undefined;
  from: number;
  to: number;
}

export function binScale(bound: number): number {
  return (SCAN_BINS - 1) / (2 * bound || 1);
}

/**
 * Scores each row as Σ tables over its code's bytes (the dot product of the float query with the row's ±1
 * signs, up to a constant) into `scores` (disallowed rows get -Infinity) and adds it to `histogram`.
 * Self-contained (no imports, no outside names): helper threads run it from its source text.
 */
export function scanSigns(codes: Uint32Array, words: number, job: ScanJob, scores: Float32Array, histogram: Uint32Array): void {
  const { tables, bound, scale, allowed, from, to } = job;
  for (let row = from; row < to; row++) {
    if (allowed && allowed[row] === 0) {
      scores[row] = -Infinity;
      continue;
    }
    // One 32-bit load per four bytes (little-endian: byte 4w is the low byte of word w).
    let s = 0;
    const base = row * words;
    for (let w = 0, t = 0; w < words; w++, t += 1024) {
      const x = codes[base + w]!;
      s += tables[t | (x & 255)]! + tables[t | 256 | ((x >>> 8) & 255)]! + tables[t | 512 | ((x >>> 16) & 255)]! + tables[t | 768 | (x >>> 24)]!;
    }
    scores[row] = s;
    histogram[Math.floor((s + bound) * scale)]!++;
  }
}
