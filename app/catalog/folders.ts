import type { Database, Statement } from 'better-sqlite3';

export interface Folder {
  id: number;
  path: string;
  addedAt: number;
  lastIndexedAt: number | null;
}

/** SQL for the `folders` table. */
export class FolderStore {
  private readonly ensureStmt: Statement<[string, number], { id: number }>;
  private readonly listStmt: Statement<[], Folder>;
  private readonly indexedStmt: Statement<[number, number]>;
  private readonly removeStmt: Statement<[number]>;

  constructor(db: Database) {
    this.ensureStmt = db.prepare(
      'INSERT INTO folders (path, added_at) VALUES (?, ?) ON CONFLICT(path) DO UPDATE SET path = excluded.path RETURNING id',
    );
    this.listStmt = db.prepare('SELECT id, path, added_at AS addedAt, last_indexed_at AS lastIndexedAt FROM folders ORDER BY path');
    this.indexedStmt = db.prepare('UPDATE folders SET last_indexed_at = ? WHERE id = ?');
    this.removeStmt = db.prepare('DELETE FROM folders WHERE id = ?');
  }

  /** The folder's id, adding it when new. */
  ensure(path: string, now = Date.now()): number {
    return this.ensureStmt.get(path, now)!.id;
  }

  list(): Folder[] {
    return this.listStmt.all();
  }

  markIndexed(id: number, now = Date.now()): void {
    this.indexedStmt.run(now, id);
  }

  remove(id: number): void {
    this.removeStmt.run(id);
  }
}
