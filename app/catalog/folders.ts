import type { Database, Statement } from 'better-sqlite3';

export interface Folder {
  id: number;
  path: string;
  addedAt: number;
  lastIndexedAt: number | null;
  /** When the folder was last found missing (unplugged drive, unmounted share); null while online. */
  offlineSince: number | null;
}

/** SQL for the `folders` table. */
export class FolderStore {
  private readonly ensureStmt: Statement<[string, number], { id: number }>;
  private readonly listStmt: Statement<[], Folder>;
  private readonly indexedStmt: Statement<[number, number]>;
  private readonly offlineStmt: Statement<[number, number]>;
  private readonly onlineStmt: Statement<[number]>;
  private readonly byPathStmt: Statement<[string], Folder>;
  private readonly deleteStmt: Statement<[number]>;

  constructor(db: Database) {
    this.ensureStmt = db.prepare(
      'INSERT INTO folders (path, added_at) VALUES (?, ?) ON CONFLICT(path) DO UPDATE SET path = excluded.path RETURNING id',
    );
    const columns = 'id, path, added_at AS addedAt, last_indexed_at AS lastIndexedAt, offline_since AS offlineSince';
    this.listStmt = db.prepare(`SELECT ${columns} FROM folders ORDER BY path`);
    this.byPathStmt = db.prepare(`SELECT ${columns} FROM folders WHERE path = ?`);
    // Keeps the first time it was found missing: "offline since" is when the drive went away.
    this.offlineStmt = db.prepare('UPDATE folders SET offline_since = coalesce(offline_since, ?) WHERE id = ?');
    this.onlineStmt = db.prepare('UPDATE folders SET offline_since = NULL WHERE id = ?');
    this.deleteStmt = db.prepare('DELETE FROM folders WHERE id = ?');
    this.indexedStmt = db.prepare('UPDATE folders SET last_indexed_at = ? WHERE id = ?');
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

  byPath(path: string): Folder | undefined {
    return this.byPathStmt.get(path);
  }

  markOffline(id: number, now = Date.now()): void {
    this.offlineStmt.run(now, id);
  }

  markOnline(id: number): void {
    this.onlineStmt.run(id);
  }

  /** Deletes the folder row; its file errors and jobs go with it (ON DELETE CASCADE), its photos are the caller's. */
  delete(id: number): void {
    this.deleteStmt.run(id);
  }
}
