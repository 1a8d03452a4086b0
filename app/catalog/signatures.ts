import type { Database, Statement } from 'better-sqlite3';
import { SIGNATURE_VERSION } from '../image/picture-signature.js';

/** SQL for the `photo_signatures` table (migration 009, [Note: picture signature]), and only that table. */
export class SignatureStore {
  private readonly putStmt: Statement<[number, number, Buffer]>;
  private readonly getStmt: Statement<[number, number], { signature: Buffer }>;
  private readonly missingStmt: Statement<[number], { id: number; contentHash: string }>;

  constructor(db: Database) {
    this.putStmt = db.prepare('INSERT INTO photo_signatures (photo_id, version, signature) VALUES (?, ?, ?) ON CONFLICT(photo_id) DO UPDATE SET version = excluded.version, signature = excluded.signature');
    this.getStmt = db.prepare('SELECT signature FROM photo_signatures WHERE photo_id = ? AND version = ?');
    this.missingStmt = db.prepare(`
      SELECT p.id, p.content_hash AS contentHash FROM photos p
      LEFT JOIN photo_signatures s ON s.photo_id = p.id AND s.version = ?
      WHERE s.photo_id IS NULL ORDER BY p.id`);
  }

  put(photoId: number, signature: Buffer): void {
    this.putStmt.run(photoId, SIGNATURE_VERSION, signature);
  }

  /** The photo's signature of the current version, if it has one. */
  get(photoId: number): Buffer | undefined {
    return this.getStmt.get(photoId, SIGNATURE_VERSION)?.signature;
  }

  /** Photos without a signature of the current version (indexed before it existed, or by an older layout). */
  missing(): { id: number; contentHash: string }[] {
    return this.missingStmt.all(SIGNATURE_VERSION);
  }
}
