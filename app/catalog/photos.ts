import type { Database, Statement } from 'better-sqlite3';
import type { PhotoMetadata } from '../image/metadata.js';
import { pathRange } from './path-range.js';

/** A catalogued photo: its file, its picture, and the metadata read at ingest (PhotoMetadata). */
export interface Photo extends PhotoMetadata {
  id: number;
  path: string;
  folderId: number | null;
  size: number;
  mtimeMs: number;
  contentHash: string;
  format: string;
  width: number;
  height: number;
  /** 64-bit difference hash of the upright image, 16 hex digits (see image/perceptual-hash.ts). */
  dhash: string | null;
  /** How many of the dHash's bits are stable (see image/perceptual-hash.ts); null for photos hashed before it was kept. */
  dhashStableBits: number | null;
  /** Variance of the Laplacian of the working image: higher is sharper, comparable between shots of one scene. */
  sharpness: number | null;
}

export type PhotoInput = Omit<Photo, 'id'>;

const COLUMNS = `id, path, folder_id AS folderId, size, mtime_ms AS mtimeMs, content_hash AS contentHash, format, width, height,
  taken_at AS takenAt, camera_make AS cameraMake, camera_model AS cameraModel, dhash, dhash_stable_bits AS dhashStableBits, sharpness,
  lens, focal_length AS focalLength, aperture, exposure_time AS exposureTime, iso, gps_latitude AS gpsLatitude,
  gps_longitude AS gpsLongitude, orientation, rating`;

/** The grid's sort key; identical to the expression indexed by migration 007 (photos_grid_order). */
export const GRID_KEY = `coalesce(taken_at, strftime('%Y-%m-%dT%H:%M:%S', mtime_ms / 1000, 'unixepoch'))`;

/** SQL for the `photos` table, and only that table. */
export class PhotoStore {
  private readonly byPathStmt: Statement<[string], Photo>;
  private readonly byIdStmt: Statement<[number], Photo>;
  private readonly byHashStmt: Statement<[string], Photo>;
  private readonly upsertStmt: Statement<PhotoInput & { now: number }, { id: number }>;
  private readonly touchStmt: Statement<{ id: number; size: number; mtimeMs: number; now: number }>;
  private readonly underStmt: Statement<[string, string], { id: number; path: string }>;
  private readonly deleteStmt: Statement<[number]>;
  private readonly ratingStmt: Statement<[number, number]>;
  private readonly moveStmt: Statement<{ id: number; path: string; folderId: number | null; mtimeMs: number; now: number }>;
  private readonly countStmt: Statement<[], { n: number }>;
  private readonly allStmt: Statement<[], Photo>;
  private readonly setThumbhashStmt: Statement<[Buffer, number]>;
  private readonly thumbhashStmt: Statement<[number], { thumbhash: Buffer | null }>;
  private readonly countUnderStmt: Statement<[string, string], { n: number }>;

  constructor(private readonly db: Database) {
    this.byPathStmt = db.prepare(`SELECT ${COLUMNS} FROM photos WHERE path = ?`);
    this.byIdStmt = db.prepare(`SELECT ${COLUMNS} FROM photos WHERE id = ?`);
    this.byHashStmt = db.prepare(`SELECT ${COLUMNS} FROM photos WHERE content_hash = ? ORDER BY id`);
    this.upsertStmt = db.prepare(`
      INSERT INTO photos (path, folder_id, size, mtime_ms, content_hash, format, width, height, taken_at, camera_make, camera_model, dhash, dhash_stable_bits, sharpness,
        lens, focal_length, aperture, exposure_time, iso, gps_latitude, gps_longitude, orientation, rating, added_at, updated_at)
      VALUES (@path, @folderId, @size, @mtimeMs, @contentHash, @format, @width, @height, @takenAt, @cameraMake, @cameraModel, @dhash, @dhashStableBits, @sharpness,
        @lens, @focalLength, @aperture, @exposureTime, @iso, @gpsLatitude, @gpsLongitude, @orientation, @rating, @now, @now)
      ON CONFLICT(path) DO UPDATE SET
        folder_id = excluded.folder_id, size = excluded.size, mtime_ms = excluded.mtime_ms, content_hash = excluded.content_hash,
        format = excluded.format, width = excluded.width, height = excluded.height, taken_at = excluded.taken_at,
        camera_make = excluded.camera_make, camera_model = excluded.camera_model, dhash = excluded.dhash, dhash_stable_bits = excluded.dhash_stable_bits, sharpness = excluded.sharpness,
        lens = excluded.lens, focal_length = excluded.focal_length, aperture = excluded.aperture, exposure_time = excluded.exposure_time,
        iso = excluded.iso, gps_latitude = excluded.gps_latitude, gps_longitude = excluded.gps_longitude,
        -- a rating the photographer set in Shoebox outlives re-reading the file (see migration 011)
        orientation = excluded.orientation, rating = CASE WHEN photos.marks_by_user = 1 THEN photos.rating ELSE excluded.rating END,
        updated_at = excluded.updated_at
      RETURNING id`);
    this.touchStmt = db.prepare('UPDATE photos SET size = @size, mtime_ms = @mtimeMs, updated_at = @now WHERE id = @id');
    // Paths under a folder: the folder itself plus a separator, compared as a range so the UNIQUE index is used.
    this.underStmt = db.prepare('SELECT id, path FROM photos WHERE path >= ? AND path < ?');
    this.deleteStmt = db.prepare('DELETE FROM photos WHERE id = ?');
    this.ratingStmt = db.prepare('UPDATE photos SET rating = ? WHERE id = ?');
    this.moveStmt = db.prepare('UPDATE photos SET path = @path, folder_id = @folderId, mtime_ms = @mtimeMs, updated_at = @now WHERE id = @id');
    this.countStmt = db.prepare('SELECT count(*) AS n FROM photos');
    this.allStmt = db.prepare(`SELECT ${COLUMNS} FROM photos ORDER BY id`);
    this.setThumbhashStmt = db.prepare('UPDATE photos SET thumbhash = ? WHERE id = ?');
    this.thumbhashStmt = db.prepare('SELECT thumbhash FROM photos WHERE id = ?');
    this.countUnderStmt = db.prepare('SELECT count(*) AS n FROM photos WHERE path >= ? AND path < ?');
  }

  byPath(path: string): Photo | undefined {
    return this.byPathStmt.get(path);
  }

  byId(id: number): Photo | undefined {
    return this.byIdStmt.get(id);
  }

  byHash(hash: string): Photo[] {
    return this.byHashStmt.all(hash);
  }

  /** Inserts or updates by path; returns the photo's id, which stays the same across updates. */
  upsert(photo: PhotoInput, now = Date.now()): number {
    return this.upsertStmt.get({ ...photo, now })!.id;
  }

  /** Records a new size/mtime for a file whose content hash did not change. */
  touch(id: number, size: number, mtimeMs: number, now = Date.now()): void {
    this.touchStmt.run({ id, size, mtimeMs, now });
  }

  under(folder: string, separator: string): { id: number; path: string }[] {
    return this.underStmt.all(...pathRange(folder, separator));
  }

  countUnder(folder: string, separator: string): number {
    return this.countUnderStmt.get(...pathRange(folder, separator))!.n;
  }

  /** The photo's thumbhash placeholder (about 25 bytes), kept apart from PhotoInput so ingest rows stay unchanged. */
  setThumbhash(id: number, thumbhash: Uint8Array): void {
    this.setThumbhashStmt.run(Buffer.from(thumbhash), id);
  }

  thumbhash(id: number): Buffer | null {
    return this.thumbhashStmt.get(id)?.thumbhash ?? null;
  }

  /** A file moved or renamed (same bytes): the photo keeps its id, and with it its vectors and, later, tags. */
  move(id: number, path: string, folderId: number | null, mtimeMs: number, now = Date.now()): void {
    this.moveStmt.run({ id, path, folderId, mtimeMs, now });
  }

  /** The catalog's rating of a photo (the file is never rewritten). */
  setRating(id: number, rating: number): void {
    this.ratingStmt.run(rating, id);
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
  }

  /** Every photo, by id. Iterates lazily so a 100 000-photo scan does not hold rows it has passed. */
  *all(): IterableIterator<Photo> {
    yield* this.allStmt.iterate();
  }

  count(): number {
    return this.countStmt.get()!.n;
  }

}
