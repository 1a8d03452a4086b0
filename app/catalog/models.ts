import type { Database, Statement } from 'better-sqlite3';
import type { ModelRecord } from './embeddings.js';

/** SQL for the `models` table: one row per distinct model (name + weights) ever used with this library. */
export class ModelStore {
  private readonly byKeyStmt: Statement<[string], ModelRecord>;
  private readonly insertStmt: Statement<[string, string, number, number], ModelRecord>;
  private readonly listStmt: Statement<[], ModelRecord>;
  private readonly removeStmt: Statement<[number]>;

  constructor(db: Database) {
    this.byKeyStmt = db.prepare('SELECT id, key, name, dim FROM models WHERE key = ?');
    this.insertStmt = db.prepare('INSERT INTO models (key, name, dim, created_at) VALUES (?, ?, ?, ?) RETURNING id, key, name, dim');
    this.listStmt = db.prepare('SELECT id, key, name, dim FROM models ORDER BY id');
    this.removeStmt = db.prepare('DELETE FROM models WHERE id = ?');
  }

  ensure(key: string, name: string, dim: number, now = Date.now()): ModelRecord {
    const existing = this.byKeyStmt.get(key);
    if (existing) {
      if (existing.dim !== dim) throw new Error(`model ${name} was recorded with ${existing.dim} dimensions, now reports ${dim}`);
      return existing;
    }
    return this.insertStmt.get(key, name, dim, now)!;
  }

  remove(id: number): void {
    this.removeStmt.run(id);
  }

  list(): ModelRecord[] {
    return this.listStmt.all();
  }
}
