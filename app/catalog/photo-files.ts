import type { Database, Statement } from 'better-sqlite3';
import { pathRange } from './path-range.js';

/** A file that belongs to a photo besides its main one: the RAW of a RAW+JPEG pair. */
export interface PhotoFile {
  path: string;
  photoId: number;
  role: 'raw';
  size: number;
  mtimeMs: number;
}

/**
 * SQL for `photo_files`. [Note: RAW+JPEG pairs] A camera set to RAW+JPEG writes IMG_0001.CR2 and
 * IMG_0001.JPG side by side: one shot, so one photo. The JPEG (the camera's own rendering) is the photo's
 * main file, decoded and embedded; the RAW is attached here as its second file, never decoded. Deleting the
 * photo drops the attachment (ON DELETE CASCADE).
 */
export class PhotoFileStore {
  private readonly attachStmt: Statement<PhotoFile>;
  private readonly ofStmt: Statement<[number], PhotoFile>;
  private readonly byPathStmt: Statement<[string], PhotoFile>;
  private readonly underStmt: Statement<[string, string], PhotoFile>;
  private readonly detachStmt: Statement<[string]>;

  constructor(db: Database) {
    const columns = 'path, photo_id AS photoId, role, size, mtime_ms AS mtimeMs';
    this.attachStmt = db.prepare(`
      INSERT INTO photo_files (path, photo_id, role, size, mtime_ms) VALUES (@path, @photoId, @role, @size, @mtimeMs)
      ON CONFLICT(path) DO UPDATE SET photo_id = excluded.photo_id, role = excluded.role, size = excluded.size, mtime_ms = excluded.mtime_ms`);
    this.ofStmt = db.prepare(`SELECT ${columns} FROM photo_files WHERE photo_id = ? ORDER BY path`);
    this.byPathStmt = db.prepare(`SELECT ${columns} FROM photo_files WHERE path = ?`);
    this.underStmt = db.prepare(`SELECT ${columns} FROM photo_files WHERE path >= ? AND path < ?`);
    this.detachStmt = db.prepare('DELETE FROM photo_files WHERE path = ?');
  }

  attach(file: PhotoFile): void {
    this.attachStmt.run(file);
  }

  of(photoId: number): PhotoFile[] {
    return this.ofStmt.all(photoId);
  }

  byPath(path: string): PhotoFile | undefined {
    return this.byPathStmt.get(path);
  }

  under(folder: string, separator: string): PhotoFile[] {
    return this.underStmt.all(...pathRange(folder, separator));
  }

  detach(path: string): void {
    this.detachStmt.run(path);
  }
}
