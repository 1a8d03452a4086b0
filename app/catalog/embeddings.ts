import type { Database, Statement } from 'better-sqlite3';
import { fromBlob, toBlob } from '../util/vector.js';
import { readVectorChunks, readVectorRows, type VectorRows } from './vec0-chunks.js';

/** The most neighbours sqlite-vec's vec0 returns from one KNN query. */
const VEC0_MAX_K = 4096;

export interface ModelRecord {
  id: number;
  key: string;
  name: string;
  dim: number;
}

export interface Neighbour {
  photoId: number;
  /** Cosine similarity to the query (sqlite-vec returns cosine distance = 1 - similarity). */
  score: number;
}

/**
 * [Note: float vectors twice]
 * Each float vector is stored in the model's vec0 table, whose brute-force k-NN is the exact search (55 ms
 * over 100 000 photos, against 200 ms for vec_distance_cosine over a plain table), and again in a plain rowid
 * table for point reads: re-scoring the quantized pass's 800 candidates took 11–28 ms through vec0 (each read
 * goes through its rowid shadow table and a blob handle on a 1 024-vector chunk) and 3.3 ms from the plain
 * table with one `IN` query (measured at 100 000 photos). The copy costs 2 KB per photo on disk, less than one
 * grid thumbnail.
 *
 * [Note: one vec0 table per model]
 * Each model gets its own `vec_model_<id>` vec0 table, created when the model is first used with the
 * library. Vectors of two models never mix: a model change finds no vectors for the new model and
 * re-embeds, while the old table stays searchable until it is dropped. The table name is built from the
 * integer id only, never from user text.
 */
export class EmbeddingStore {
  readonly table: string;
  /** Sign bits of each vector (sqlite-vec `bit[dim]`), for the quantized first pass: see [Note: quantized first pass]. */
  readonly bitsTable: string;
  /** The same float vectors in a plain rowid table, for point reads: see [Note: float vectors twice]. */
  readonly rowsTable: string;
  private readonly rowsDelete: Statement<[bigint]>;
  private readonly rowsInsert: Statement<[bigint, Buffer]>;
  private readonly bitsDelete: Statement<[bigint]>;
  private readonly bitsInsert: Statement<[bigint, Buffer]>;
  private readonly bitsAllStmt: Statement<[], { photoId: number; bits: Buffer }>;
  private readonly quantizeStmt: Statement<[Buffer], { bits: Buffer }>;
  private readonly putDelete: Statement<[bigint]>;
  private readonly putInsert: Statement<[bigint, Buffer]>;
  private readonly hasStmt: Statement<[bigint], { one: number }>;
  private readonly getStmt: Statement<[bigint], { embedding: Buffer }>;
  private readonly scoresStmt: Statement<[Buffer, string], { photoId: number; distance: number }>;
  private readonly countStmt: Statement<[], { n: number }>;
  private readonly knnStmt: Statement<[Buffer, number], { photoId: number; distance: number }>;
  private readonly scanStmt: Statement<[Buffer, number], { photoId: number; distance: number }>;
  private readonly sampleStmt: Statement<[number], { photoId: number; embedding: Buffer }>;
  private readonly missingStmt: Statement<[], { id: number }>;
  private readonly dropStmt: Statement<[]>;
  private readonly dropBitsStmt: Statement<[]>;
  private readonly dropRowsStmt: Statement<[]>;
  private readonly allStmt: Statement<[], { photoId: number; embedding: Buffer }>;
  private readonly centreGet: Statement<[string], { value: string }>;
  private readonly centreSet: Statement<[string, string]>;
  /** The sign bits' centre as last read, keyed by its settings text (see [Note: centred sign bits]). */
  private centre: { text: string; vector: Float32Array | undefined } | undefined;

  constructor(
    private readonly db: Database,
    readonly model: ModelRecord,
  ) {
    this.table = `vec_model_${Math.trunc(model.id)}`;
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${this.table} USING vec0(
      photo_id INTEGER PRIMARY KEY,
      embedding float[${Math.trunc(model.dim)}] distance_metric=cosine
    )`);
    this.bitsTable = `${this.table}_bits`;
    db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${this.bitsTable} USING vec0(
      photo_id INTEGER PRIMARY KEY,
      embedding bit[${Math.trunc(model.dim)}]
    )`);
    this.rowsTable = `${this.table}_rows`;
    db.exec(`CREATE TABLE IF NOT EXISTS ${this.rowsTable} (photo_id INTEGER PRIMARY KEY, embedding BLOB NOT NULL)`);
    // vec0 has no upsert: delete then insert, inside the caller's transaction. Its primary key must be bound
    // as an SQLite integer, and better-sqlite3 binds JS numbers as REAL: ids go in as BigInt.
    this.putDelete = db.prepare(`DELETE FROM ${this.table} WHERE photo_id = ?`);
    this.putInsert = db.prepare(`INSERT INTO ${this.table} (photo_id, embedding) VALUES (?, ?)`);
    this.hasStmt = db.prepare(`SELECT 1 AS one FROM ${this.rowsTable} WHERE photo_id = ?`);
    this.getStmt = db.prepare(`SELECT embedding FROM ${this.rowsTable} WHERE photo_id = ?`);
    this.countStmt = db.prepare(`SELECT count(*) AS n FROM ${this.table}`);
    this.knnStmt = db.prepare(`SELECT photo_id AS photoId, distance FROM ${this.table} WHERE embedding MATCH ? AND k = ? ORDER BY distance`);
    // A spread-out sample for per-query statistics (see relevance.ts): every n-th row by rowid is cheap and stable.
    this.sampleStmt = db.prepare(`SELECT photo_id AS photoId, embedding FROM ${this.table} WHERE photo_id % ? = 0`);
    this.missingStmt = db.prepare(`SELECT id FROM photos WHERE id NOT IN (SELECT photo_id FROM ${this.table}) ORDER BY id`);
    this.dropStmt = db.prepare(`DROP TABLE ${this.table}`);
    this.dropBitsStmt = db.prepare(`DROP TABLE IF EXISTS ${this.bitsTable}`);
    this.allStmt = db.prepare(`SELECT photo_id AS photoId, embedding FROM ${this.table}`);
    this.bitsDelete = db.prepare(`DELETE FROM ${this.bitsTable} WHERE photo_id = ?`);
    this.bitsInsert = db.prepare(`INSERT INTO ${this.bitsTable} (photo_id, embedding) VALUES (?, vec_quantize_binary(?))`);
    this.bitsAllStmt = db.prepare(`SELECT photo_id AS photoId, embedding AS bits FROM ${this.bitsTable}`);
    this.quantizeStmt = db.prepare('SELECT vec_quantize_binary(?) AS bits');
    this.scanStmt = db.prepare(`SELECT photo_id AS photoId, vec_distance_cosine(embedding, ?) AS distance FROM ${this.rowsTable} ORDER BY distance LIMIT ?`);
    this.scoresStmt = db.prepare(
      `SELECT photo_id AS photoId, vec_distance_cosine(embedding, ?) AS distance FROM ${this.rowsTable} WHERE photo_id IN (SELECT value FROM json_each(?))`,
    );
    this.rowsDelete = db.prepare(`DELETE FROM ${this.rowsTable} WHERE photo_id = ?`);
    this.rowsInsert = db.prepare(`INSERT INTO ${this.rowsTable} (photo_id, embedding) VALUES (?, ?)`);
    this.dropRowsStmt = db.prepare(`DROP TABLE IF EXISTS ${this.rowsTable}`);
    this.centreGet = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.centreSet = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.backfillBits();
    this.backfill(db, this.rowsTable, 'embedding');
  }

  /**
   * [Note: centred sign bits]
   * Every CLIP image vector shares a large common component (the modality's cone: unrelated photos have cosine
   * ≈ 0.5), which makes most sign bits the same for every photo and leaves the quantized first pass too few
   * bits that tell photos apart (recall@50 0.94 at 1 000 000 CLIP-like photos). The bits are therefore taken of
   * x − c, c the pack's calibration centre (the mean of its calibration images, [Note: model calibration]: a
   * property of the model, never of this library). The query side needs no change: the scan scores q · sign(x − c),
   * and q · c is the same for every photo. The centre is kept in `settings` per model, so every process that
   * writes vectors (indexer, model switch) quantizes them alike; a new centre re-quantizes every photo's bits.
   */
  private centreKey(): string {
    return `signs.centre.${Math.trunc(this.model.id)}`;
  }

  /** The centre the bits are taken around, re-read when another process changed it. */
  signCentre(): Float32Array | undefined {
    const text = this.centreGet.get(this.centreKey())?.value ?? '';
    if (this.centre?.text !== text) this.centre = { text, vector: text ? Float32Array.from(JSON.parse(text) as number[]) : undefined };
    return this.centre.vector;
  }

  /**
   * Takes the sign bits around `centre` from now on; re-quantizes every photo's bits (one transaction) when it
   * differs from the centre they were taken around. Returns whether it did (a loaded BinaryIndex is then stale).
   */
  useSignCentre(centre: Float32Array): boolean {
    if (centre.length !== this.model.dim) throw new Error(`centre has ${centre.length} values, model ${this.model.name} has ${this.model.dim}`);
    const text = JSON.stringify(Array.from(centre));
    if (this.centreGet.get(this.centreKey())?.value === text) return false;
    this.db.transaction(() => {
      this.centreSet.run(this.centreKey(), text);
      this.requantize();
    })();
    return true;
  }

  private centred(embedding: Float32Array): Buffer {
    const c = this.signCentre();
    if (!c) return toBlob(embedding);
    const out = new Float32Array(embedding.length);
    for (let i = 0; i < out.length; i++) out[i] = embedding[i]! - c[i]!;
    return toBlob(out);
  }

  private requantize(): void {
    this.db.exec(`DELETE FROM ${this.bitsTable}`);
    // Pages of the point-read table (a connection cannot write while a statement iterates).
    const page = this.db.prepare<[number], { photoId: number; embedding: Buffer }>(
      `SELECT photo_id AS photoId, embedding FROM ${this.rowsTable} WHERE photo_id > ? ORDER BY photo_id LIMIT 4096`,
    );
    for (let after = -1; ; ) {
      const rows = page.all(after);
      if (rows.length === 0) break;
      for (const row of rows) this.bitsInsert.run(BigInt(row.photoId), this.centred(fromBlob(row.embedding)));
      after = rows[rows.length - 1]!.photoId;
    }
  }

  /** The bits' form of backfill (below): uncentred bits straight in SQL, centred ones through requantize. */
  private backfillBits(): void {
    const derivedCount = this.db.prepare(`SELECT count(*) AS n FROM ${this.bitsTable}`).get() as { n: number };
    if (derivedCount.n === this.count()) return;
    if (!this.signCentre()) return this.backfill(this.db, this.bitsTable, 'vec_quantize_binary(embedding)');
    this.db.transaction(() => this.requantize())();
  }

  put(photoId: number, embedding: Float32Array): void {
    if (embedding.length !== this.model.dim) throw new Error(`embedding has ${embedding.length} values, model ${this.model.name} has ${this.model.dim}`);
    const id = BigInt(photoId);
    const blob = toBlob(embedding);
    this.putDelete.run(id);
    this.putInsert.run(id, blob);
    this.bitsDelete.run(id);
    this.bitsInsert.run(id, this.centred(embedding));
    this.rowsDelete.run(id);
    this.rowsInsert.run(id, blob);
  }

  has(photoId: number): boolean {
    return this.hasStmt.get(BigInt(photoId)) !== undefined;
  }

  get(photoId: number): Float32Array | undefined {
    const row = this.getStmt.get(BigInt(photoId));
    return row ? fromBlob(row.embedding) : undefined;
  }

  /** Exact cosine of a query with each of these photos' vectors, best first (photos without one are left out). */
  scores(query: Float32Array, photoIds: Iterable<number>): Neighbour[] {
    const rows = this.scoresStmt.all(toBlob(query), JSON.stringify(Array.from(photoIds)));
    return rows.map((r) => ({ photoId: r.photoId, score: 1 - r.distance })).sort((a, b) => b.score - a.score);
  }

  delete(photoId: number): void {
    this.putDelete.run(BigInt(photoId));
    this.bitsDelete.run(BigInt(photoId));
    this.rowsDelete.run(BigInt(photoId));
  }

  /** Every photo's sign bits (dim / 8 bytes each), read by whole chunks when it can ([Note: reading vec0 chunks whole]). */
  allBits(): VectorRows {
    const bytesPerVector = Math.ceil(this.model.dim / 8);
    const count = this.count();
    return readVectorChunks(this.db, this.bitsTable, bytesPerVector, count) ?? readVectorRows(this.bitsAllStmt.iterate(), bytesPerVector, count);
  }

  /** A vector's sign bits, quantized exactly as the stored ones (around the centre, when there is one). */
  quantize(vector: Float32Array): Buffer {
    return this.quantizeStmt.get(this.centred(vector))!.bits;
  }

  /**
   * A catalog from before the derived tables (sign bits, point-read rows), or one whose write was cut short by
   * a crash between tables (transactions prevent it, an older version did not write them), gets the derived
   * table rebuilt from the vec0 float vectors here, in one transaction, on the first open: lazily rather than
   * in a migration, because the per-model tables are created on demand and a migration cannot know them.
   */
  private backfill(db: Database, derived: string, value: string): void {
    const derivedCount = db.prepare(`SELECT count(*) AS n FROM ${derived}`).get() as { n: number };
    if (derivedCount.n === this.count()) return;
    db.transaction(() => {
      db.exec(`DELETE FROM ${derived}`);
      db.exec(`INSERT INTO ${derived} (photo_id, embedding) SELECT photo_id, ${value} FROM ${this.table}`);
    })();
  }

  count(): number {
    return this.countStmt.get()!.n;
  }

  /**
   * The k nearest photos by cosine similarity, best first. vec0 answers a KNN query for at most VEC0_MAX_K
   * neighbours (an error above it); a larger k (a smart album's search judges up to 20 000 candidates) is an
   * exact scan of every vector instead, the same answer.
   */
  nearest(query: Float32Array, k: number): Neighbour[] {
    if (k <= 0) return [];
    if (k > VEC0_MAX_K) return this.scanStmt.all(toBlob(query), Math.trunc(k)).map((r) => ({ photoId: r.photoId, score: 1 - r.distance }));
    return this.knnStmt.all(toBlob(query), Math.trunc(k)).map((r) => ({ photoId: r.photoId, score: 1 - r.distance }));
  }

  /** Ids of catalogued photos this model has no vector for yet (what a model switch still has to embed). */
  photosWithout(): number[] {
    return this.missingStmt.all().map((r) => r.id);
  }

  /**
   * Drops the model's float vectors, their sign bits and point-read rows (the caller's transaction makes it
   * one step). The store is unusable afterwards; Catalog.dropModel is the caller.
   */
  drop(): void {
    this.dropStmt.run();
    this.dropBitsStmt.run();
    this.dropRowsStmt.run();
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(this.centreKey());
  }

  /** Roughly `size` vectors spread over the whole table. */
  sample(size: number): { photoId: number; embedding: Float32Array }[] {
    const total = this.count();
    if (total === 0) return [];
    const step = Math.max(1, Math.floor(total / size));
    return this.sampleStmt.all(step).map((r) => ({ photoId: r.photoId, embedding: fromBlob(r.embedding) }));
  }

  /**
   * The vectors of the photos `keep` accepts, as one row-major matrix (for whole-catalog scans such as the
   * duplicate finder's; 100 000 × 512 floats = 200 MB).
   */
  matrix(keep: (photoId: number) => boolean = () => true): { ids: number[]; dim: number; data: Float32Array } {
    const dim = this.model.dim;
    let data = new Float32Array(Math.max(1, this.count()) * dim);
    const ids: number[] = [];
    for (const row of this.allStmt.iterate()) {
      if (!keep(row.photoId)) continue;
      if ((ids.length + 1) * dim > data.length) {
        const grown = new Float32Array(data.length * 2);
        grown.set(data);
        data = grown;
      }
      data.set(new Float32Array(row.embedding.buffer.slice(row.embedding.byteOffset, row.embedding.byteOffset + row.embedding.byteLength)), ids.length * dim);
      ids.push(row.photoId);
    }
    return { ids, dim, data: data.subarray(0, ids.length * dim) };
  }
}
