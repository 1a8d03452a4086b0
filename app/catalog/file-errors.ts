import type { Database, Statement } from 'better-sqlite3';

/** Where in the pipeline a file failed: reading it, decoding it, or running the model on it. */
export type FailureStage = 'scan' | 'read' | 'decode' | 'embed';

export interface FileError {
  path: string;
  folderId: number | null;
  stage: FailureStage;
  message: string;
  at: number;
}

/** SQL for `file_errors`: the last failure of each file, cleared when the file indexes cleanly. */
export class FileErrorStore {
  private readonly putStmt: Statement<FileError>;
  private readonly clearStmt: Statement<[string]>;
  private readonly listStmt: Statement<[], FileError>;
  private readonly countByFolderStmt: Statement<[number], { n: number }>;

  constructor(db: Database) {
    this.putStmt = db.prepare(`
      INSERT INTO file_errors (path, folder_id, stage, message, at) VALUES (@path, @folderId, @stage, @message, @at)
      ON CONFLICT(path) DO UPDATE SET folder_id = excluded.folder_id, stage = excluded.stage, message = excluded.message, at = excluded.at`);
    this.clearStmt = db.prepare('DELETE FROM file_errors WHERE path = ?');
    this.listStmt = db.prepare('SELECT path, folder_id AS folderId, stage, message, at FROM file_errors ORDER BY path');
    this.countByFolderStmt = db.prepare('SELECT count(*) AS n FROM file_errors WHERE folder_id = ?');
  }

  record(error: FileError): void {
    this.putStmt.run(error);
  }

  clear(path: string): void {
    this.clearStmt.run(path);
  }

  list(): FileError[] {
    return this.listStmt.all();
  }

  countByFolder(folderId: number): number {
    return this.countByFolderStmt.get(folderId)!.n;
  }
}
