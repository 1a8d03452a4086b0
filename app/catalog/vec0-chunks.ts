import type { Database } from 'better-sqlite3';

/** Every vector of a table side by side: row i is `ids[i]`, bytes `i * bytesPerVector` onwards. */
export interface VectorRows {
  ids: Int32Array;
  vectors: Uint8Array;
  bytesPerVector: number;
}

/**
 * [Note: reading vec0 chunks whole]
 * Loading the quantized index reads every photo's sign bits. Through the vec0 cursor that is one row at a
 * time (4 s at 1 000 000 photos, on every first search after a change); sqlite-vec 0.1 keeps them in chunks
 * of 1 024 (`<table>_chunks`: a validity bitmap and the rowids; `<table>_vector_chunks00`: the vectors side by
 * side), which read whole in a fraction of that. This depends on sqlite-vec's storage layout, so it checks what
 * it finds (table shapes, blob sizes, the total against the table's own count) and returns undefined when
 * anything differs; the caller then reads through the cursor, which is always right.
 */
export function readVectorChunks(db: Database, table: string, bytesPerVector: number, expected: number): VectorRows | undefined {
  let chunks: { validity: Buffer; rowids: Buffer; vectors: Buffer; size: number }[];
  try {
    chunks = db
      .prepare(`SELECT c.size AS size, c.validity AS validity, c.rowids AS rowids, v.vectors AS vectors FROM "${table}_chunks" c JOIN "${table}_vector_chunks00" v ON v.rowid = c.chunk_id ORDER BY c.chunk_id`)
      .all() as typeof chunks;
  } catch {
    return undefined; // not the layout this reads
  }
  const ids = new Int32Array(expected);
  const vectors = new Uint8Array(expected * bytesPerVector);
  let row = 0;
  for (const { size, validity, rowids, vectors: block } of chunks) {
    if (validity.length * 8 < size || rowids.length !== size * 8 || block.length !== size * bytesPerVector) return undefined;
    for (let i = 0; i < size; i++) {
      if ((validity[i >> 3]! & (1 << (i & 7))) === 0) continue;
      if (row === expected) return undefined; // more than the table says it holds
      ids[row] = Number(rowids.readBigInt64LE(i * 8));
      vectors.set(block.subarray(i * bytesPerVector, (i + 1) * bytesPerVector), row * bytesPerVector);
      row++;
    }
  }
  return row === expected ? { ids, vectors, bytesPerVector } : undefined;
}

/** The same through the table's cursor, one row at a time: always right, slower. */
export function readVectorRows(rows: Iterable<{ photoId: number; bits: Uint8Array }>, bytesPerVector: number, capacity: number): VectorRows {
  const ids = new Int32Array(capacity);
  const vectors = new Uint8Array(capacity * bytesPerVector);
  let row = 0;
  for (const { photoId, bits } of rows) {
    if (row === capacity) break; // written to meanwhile: the next load sees the rest
    ids[row] = photoId;
    vectors.set(bits, row * bytesPerVector);
    row++;
  }
  return { ids: ids.subarray(0, row), vectors: vectors.subarray(0, row * bytesPerVector), bytesPerVector };
}
