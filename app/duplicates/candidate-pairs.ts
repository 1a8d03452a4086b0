import { MatMul, transpose } from '../util/matmul.js';

/** Unit vectors in one row-major block: row i is `data[i*dim .. (i+1)*dim)` and belongs to photo `ids[i]`. */
export interface VectorMatrix {
  ids: number[];
  dim: number;
  data: Float32Array;
}

export interface CandidatePair {
  a: number;
  b: number;
  cosine: number;
}

export interface CandidateOptions {
  /** Nearest neighbours kept per photo (a pair is a candidate when either side has the other in its k). */
  k: number;
  /** Pairs under this cosine are never candidates (the pair rules cannot accept them). */
  minCosine: number;
  /** At or below this many photos, every pair is compared (exact k-NN). */
  exactBelow?: number;
  /** Cells each photo is placed in at the first split: more finds more pairs near cell borders, at a cost. */
  probes?: number;
  /** Photos compared so far, out of all (in the cell split, a photo counts once per cell it joined). */
  onProgress?: (done: number, total: number) => void;
}

type Progress = CandidateOptions['onProgress'];

/** Target photos per cell: balances the assignment cost (n × cells) against the in-cell cost (n × cell size). */
const LEAF = 512;
/** Largest cell compared pair by pair; bigger cells are split again. */
const MAX_LEAF = 2048;
const DEFAULT_EXACT_BELOW = 4000;
const DEFAULT_PROBES = 3;
/** Rows per assignment product, to bound the [rows, cells] output. */
const CHUNK = 8192;

/**
 * [Note: duplicate candidates by cells]
 * The duplicate scan needs every photo's nearest neighbours, not one query's: n k-NN queries against
 * sqlite-vec cost n × n distances (22.8 s at 5 000 photos, hours at 100 000). Instead, an inverted-file
 * split: cell centres are photos spread over the catalog, each photo joins its `probes` nearest cells, and
 * only pairs sharing a cell are compared — as one matrix product per cell (see [Note: matrix products
 * through onnxruntime]). Near-duplicates are very close (cosine ≥ 0.75 by the pair rules), so both land in
 * a shared cell unless they sit on a border, which the extra probes cover; the bench measures the recall
 * against the exact scan. Small catalogs are compared exactly (one cell).
 */
export async function candidatePairs(m: VectorMatrix, options: CandidateOptions): Promise<CandidatePair[]> {
  const mm = new MatMul();
  try {
    const found = new Map<number, Map<number, number>>(); // row → (other row → cosine), both directions
    const rows = Array.from(m.ids, (_, i) => i);
    const exactBelow = options.exactBelow ?? DEFAULT_EXACT_BELOW;
    if (rows.length <= exactBelow) await comparePairs(mm, m, rows, options.minCosine, found, options.onProgress);
    else await split(mm, m, rows, options.probes ?? DEFAULT_PROBES, options.minCosine, found, options.onProgress);
    return keepNearest(m, found, options.k);
  } finally {
    await mm.release();
  }
}

async function split(
  mm: MatMul,
  m: VectorMatrix,
  rows: number[],
  probes: number,
  minCosine: number,
  found: Map<number, Map<number, number>>,
  onProgress?: Progress,
): Promise<void> {
  const cellCount = Math.max(2, Math.ceil((rows.length * probes) / LEAF));
  const centres = new Float32Array(cellCount * m.dim);
  for (let c = 0; c < cellCount; c++) {
    const row = rows[Math.floor((c * rows.length) / cellCount)]!;
    centres.set(m.data.subarray(row * m.dim, (row + 1) * m.dim), c * m.dim);
  }
  const centresT = transpose(centres, cellCount, m.dim);
  const cells: number[][] = Array.from({ length: cellCount }, () => []);
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const scores = await mm.multiply(gather(m, chunk), chunk.length, centresT, m.dim, cellCount);
    chunk.forEach((row, i) => {
      for (const c of topIndices(scores.subarray(i * cellCount, (i + 1) * cellCount), probes)) cells[c]!.push(row);
    });
  }
  // Progress by cells of this first split only: a cell split again reports once it is done.
  const total = cells.reduce((n, cell) => n + cell.length, 0);
  let done = 0;
  onProgress?.(0, total);
  for (const cell of cells) {
    // A cell that did not shrink (many identical vectors) is compared as is: splitting it again cannot help.
    if (cell.length >= 2 && (cell.length <= MAX_LEAF || cell.length > rows.length * 0.8)) await comparePairs(mm, m, cell, minCosine, found);
    else if (cell.length >= 2) await split(mm, m, cell, 2, minCosine, found);
    done += cell.length;
    onProgress?.(done, total);
  }
}

/** Every pair within `rows` through one product rows × rowsᵀ, in blocks of MAX_LEAF rows. */
async function comparePairs(
  mm: MatMul,
  m: VectorMatrix,
  rows: number[],
  minCosine: number,
  found: Map<number, Map<number, number>>,
  onProgress?: Progress,
): Promise<void> {
  const all = gather(m, rows);
  const allT = transpose(all, rows.length, m.dim);
  onProgress?.(0, rows.length);
  for (let start = 0; start < rows.length; start += MAX_LEAF) {
    const block = rows.slice(start, start + MAX_LEAF);
    const scores = await mm.multiply(all.subarray(start * m.dim, (start + block.length) * m.dim), block.length, allT, m.dim, rows.length);
    for (let i = 0; i < block.length; i++) {
      const a = block[i]!;
      const line = scores.subarray(i * rows.length, (i + 1) * rows.length);
      for (let j = start + i + 1; j < rows.length; j++) {
        if (line[j]! < minCosine) continue;
        const b = rows[j]!;
        link(found, a, b, line[j]!);
        link(found, b, a, line[j]!);
      }
    }
    onProgress?.(start + block.length, rows.length);
  }
}

function link(found: Map<number, Map<number, number>>, a: number, b: number, cosine: number): void {
  let near = found.get(a);
  if (!near) found.set(a, (near = new Map()));
  near.set(b, cosine);
}

/** Pairs where one side is among the other's k nearest, each once, as photo ids with a < b. */
function keepNearest(m: VectorMatrix, found: Map<number, Map<number, number>>, k: number): CandidatePair[] {
  const pairs = new Map<string, CandidatePair>();
  for (const [row, near] of found) {
    const best = [...near].sort((x, y) => y[1] - x[1]).slice(0, k);
    for (const [other, cosine] of best) {
      const [a, b] = m.ids[row]! < m.ids[other]! ? [m.ids[row]!, m.ids[other]!] : [m.ids[other]!, m.ids[row]!];
      pairs.set(`${a}:${b}`, { a, b, cosine });
    }
  }
  return [...pairs.values()];
}

function gather(m: VectorMatrix, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * m.dim);
  rows.forEach((row, i) => out.set(m.data.subarray(row * m.dim, (row + 1) * m.dim), i * m.dim));
  return out;
}

function topIndices(scores: Float32Array, count: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (best.length < count) best.push(i);
    else if (scores[i]! > scores[best[best.length - 1]!]!) best[best.length - 1] = i;
    else continue;
    best.sort((x, y) => scores[y]! - scores[x]!);
  }
  return best;
}
