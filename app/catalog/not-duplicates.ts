import type { Database, Statement } from 'better-sqlite3';

/** SQL for `not_duplicates`: pairs the photographer said are different photos, remembered for every scan. */
export class NotDuplicateStore {
  private readonly addStmt: Statement<[number, number, number]>;
  private readonly allStmt: Statement<[], { a: number; b: number }>;

  constructor(db: Database) {
    this.addStmt = db.prepare('INSERT OR IGNORE INTO not_duplicates (photo_a, photo_b, at) VALUES (?, ?, ?)');
    this.allStmt = db.prepare('SELECT photo_a AS a, photo_b AS b FROM not_duplicates');
  }

  add(a: number, b: number, now = Date.now()): void {
    this.addStmt.run(Math.min(a, b), Math.max(a, b), now);
  }

  /** Keys "smallerId:largerId". */
  pairs(): Set<string> {
    return new Set(this.allStmt.all().map((p) => `${p.a}:${p.b}`));
  }
}
