import type { Database, Statement } from 'better-sqlite3';

export interface AlbumRecord {
  id: number;
  name: string;
  /** How many photos are in it. */
  photos: number;
  createdAt: number;
  updatedAt: number;
  /** A smart album's search (migration 012): its text and its filters as JSON; null for a hand album. */
  smartQuery: string | null;
  smartFilters: string | null;
}

const ALBUM_COLUMNS = `a.id, a.name, a.created_at AS createdAt, a.updated_at AS updatedAt, a.smart_query AS smartQuery,
  a.smart_filters AS smartFilters, (SELECT count(*) FROM album_photos ap WHERE ap.album_id = a.id) AS photos`;

/** SQL for the `albums` and `album_photos` tables (migration 010). */
export class AlbumStore {
  private readonly createStmt: Statement<{ name: string; now: number }, { id: number }>;
  private readonly byIdStmt: Statement<[number], AlbumRecord>;
  private readonly byNameStmt: Statement<[string], AlbumRecord>;
  private readonly listStmt: Statement<[], AlbumRecord>;
  private readonly renameStmt: Statement<{ id: number; name: string; now: number }>;
  private readonly deleteStmt: Statement<[number]>;
  private readonly addStmt: Statement<{ albumId: number; photoId: number; now: number }>;
  private readonly removeStmt: Statement<[number, number]>;
  private readonly touchStmt: Statement<[number, number]>;
  private readonly photoIdsStmt: Statement<[number], { photoId: number }>;
  private readonly ofPhotoStmt: Statement<[number], { albumId: number }>;

  constructor(db: Database) {
    this.createStmt = db.prepare('INSERT INTO albums (name, created_at, updated_at) VALUES (@name, @now, @now) RETURNING id');
    this.byIdStmt = db.prepare(`SELECT ${ALBUM_COLUMNS} FROM albums a WHERE a.id = ?`);
    this.byNameStmt = db.prepare(`SELECT ${ALBUM_COLUMNS} FROM albums a WHERE a.name = ? COLLATE NOCASE`);
    this.listStmt = db.prepare(`SELECT ${ALBUM_COLUMNS} FROM albums a ORDER BY a.name COLLATE NOCASE, a.id`);
    this.renameStmt = db.prepare('UPDATE albums SET name = @name, updated_at = @now WHERE id = @id');
    this.deleteStmt = db.prepare('DELETE FROM albums WHERE id = ?');
    // Adding a photo that is already in the album changes nothing (its added_at stays).
    this.addStmt = db.prepare('INSERT INTO album_photos (album_id, photo_id, added_at) VALUES (@albumId, @photoId, @now) ON CONFLICT DO NOTHING');
    this.removeStmt = db.prepare('DELETE FROM album_photos WHERE album_id = ? AND photo_id = ?');
    this.touchStmt = db.prepare('UPDATE albums SET updated_at = ? WHERE id = ?');
    this.photoIdsStmt = db.prepare('SELECT photo_id AS photoId FROM album_photos WHERE album_id = ? ORDER BY added_at, photo_id');
    this.ofPhotoStmt = db.prepare('SELECT album_id AS albumId FROM album_photos WHERE photo_id = ? ORDER BY album_id');
  }

  /** Throws SQLite's UNIQUE error for a name in use; callers check first to say so in words. */
  create(name: string, now = Date.now()): number {
    return this.createStmt.get({ name, now })!.id;
  }

  byId(id: number): AlbumRecord | undefined {
    return this.byIdStmt.get(id);
  }

  byName(name: string): AlbumRecord | undefined {
    return this.byNameStmt.get(name);
  }

  list(): AlbumRecord[] {
    return this.listStmt.all();
  }

  rename(id: number, name: string, now = Date.now()): void {
    this.renameStmt.run({ id, name, now });
  }

  /** Deletes the album; its photos stay in the library. */
  delete(id: number): void {
    this.deleteStmt.run(id);
  }

  /** Adds photos (caller's transaction); returns how many were not in the album yet. */
  add(albumId: number, photoIds: readonly number[], now = Date.now()): number {
    let added = 0;
    for (const photoId of photoIds) added += this.addStmt.run({ albumId, photoId, now }).changes;
    if (added > 0) this.touchStmt.run(now, albumId);
    return added;
  }

  /** Removes photos (caller's transaction); returns how many were in the album. */
  remove(albumId: number, photoIds: readonly number[], now = Date.now()): number {
    let removed = 0;
    for (const photoId of photoIds) removed += this.removeStmt.run(albumId, photoId).changes;
    if (removed > 0) this.touchStmt.run(now, albumId);
    return removed;
  }

  /** The album's photos in the order they were added. */
  photoIds(albumId: number): number[] {
    return this.photoIdsStmt.all(albumId).map((r) => r.photoId);
  }

  /** The albums a photo is in. */
  ofPhoto(photoId: number): number[] {
    return this.ofPhotoStmt.all(photoId).map((r) => r.albumId);
  }

  /** The keeper of a duplicate group joins every album its copies were in (see Catalog.carryOver). */
  carry(keeperId: number, fromIds: readonly number[], now = Date.now()): void {
    for (const from of fromIds) if (from !== keeperId) for (const albumId of this.ofPhoto(from)) this.add(albumId, [keeperId], now);
  }
}
