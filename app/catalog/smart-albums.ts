import type { Database, Statement } from 'better-sqlite3';

export type AlbumDecision = 'pin' | 'keep-out';

/** One photo of a smart album's search result, with its relevance. */
export interface SmartMatch {
  photoId: number;
  relevance: number;
}

/** What an update of a smart album's membership changed. */
export interface SmartUpdate {
  added: number;
  removed: number;
}

/**
 * SQL for smart albums (migration 012): their definition on `albums`, the photographer's pin-in and keep-out
 * decisions in `album_decisions`, and the materialised membership in `album_photos`.
 */
export class SmartAlbumStore {
  private readonly createStmt: Statement<{ name: string; query: string; filters: string; now: number }, { id: number }>;
  private readonly defineStmt: Statement<{ id: number; query: string; filters: string; now: number }>;
  private readonly smartIdsStmt: Statement<[], { id: number }>;
  private readonly decideStmt: Statement<{ albumId: number; photoId: number; decision: AlbumDecision; now: number }>;
  private readonly decisionStmt: Statement<[number, number], { decision: AlbumDecision }>;
  private readonly decisionsOfPhotoStmt: Statement<[number], { albumId: number; decision: AlbumDecision }>;
  private readonly memberStmt: Statement<[number, number], { relevance: number | null }>;
  private readonly membersStmt: Statement<[number], { photoId: number }>;
  private readonly decisionsStmt: Statement<[number], { photoId: number; decision: AlbumDecision }>;
  private readonly upsertMatchStmt: Statement<{ albumId: number; photoId: number; relevance: number; now: number }>;
  private readonly dropStmt: Statement<[number, number]>;
  private readonly clearRelevanceStmt: Statement<[number, number]>;
  private readonly updatedStmt: Statement<[number, number]>;

  constructor(private readonly db: Database) {
    this.createStmt = db.prepare(
      'INSERT INTO albums (name, smart_query, smart_filters, created_at, updated_at) VALUES (@name, @query, @filters, @now, @now) RETURNING id',
    );
    this.defineStmt = db.prepare('UPDATE albums SET smart_query = @query, smart_filters = @filters, updated_at = @now WHERE id = @id AND smart_query IS NOT NULL');
    this.smartIdsStmt = db.prepare('SELECT id FROM albums WHERE smart_query IS NOT NULL ORDER BY id');
    this.decideStmt = db.prepare(
      `INSERT INTO album_decisions (album_id, photo_id, decision, decided_at) VALUES (@albumId, @photoId, @decision, @now)
       ON CONFLICT (album_id, photo_id) DO UPDATE SET decision = excluded.decision, decided_at = excluded.decided_at`,
    );
    this.decisionStmt = db.prepare('SELECT decision FROM album_decisions WHERE album_id = ? AND photo_id = ?');
    this.decisionsOfPhotoStmt = db.prepare('SELECT album_id AS albumId, decision FROM album_decisions WHERE photo_id = ?');
    this.memberStmt = db.prepare('SELECT relevance FROM album_photos WHERE album_id = ? AND photo_id = ?');
    this.membersStmt = db.prepare('SELECT photo_id AS photoId FROM album_photos WHERE album_id = ?');
    this.decisionsStmt = db.prepare('SELECT photo_id AS photoId, decision FROM album_decisions WHERE album_id = ?');
    // A photo already in keeps its added_at (the order it joined in); its relevance is the latest.
    this.upsertMatchStmt = db.prepare(
      `INSERT INTO album_photos (album_id, photo_id, added_at, relevance) VALUES (@albumId, @photoId, @now, @relevance)
       ON CONFLICT (album_id, photo_id) DO UPDATE SET relevance = excluded.relevance`,
    );
    this.dropStmt = db.prepare('DELETE FROM album_photos WHERE album_id = ? AND photo_id = ?');
    this.clearRelevanceStmt = db.prepare('UPDATE album_photos SET relevance = NULL WHERE album_id = ? AND photo_id = ?');
    this.updatedStmt = db.prepare('UPDATE albums SET smart_updated_at = ? WHERE id = ?');
  }

  /** Throws SQLite's UNIQUE error for a name in use; callers check first to say so in words. */
  create(name: string, query: string, filters: string, now = Date.now()): number {
    return this.createStmt.get({ name, query, filters, now })!.id;
  }

  /** Changes a smart album's search (a hand album stays a hand album). */
  define(id: number, query: string, filters: string, now = Date.now()): void {
    this.defineStmt.run({ id, query, filters, now });
  }

  smartIds(): number[] {
    return this.smartIdsStmt.all().map((r) => r.id);
  }

  /** Records the photographer's decision (caller's transaction); a later one replaces an earlier one. */
  decide(albumId: number, photoId: number, decision: AlbumDecision, now = Date.now()): void {
    this.decideStmt.run({ albumId, photoId, decision, now });
  }

  decision(albumId: number, photoId: number): AlbumDecision | undefined {
    return this.decisionStmt.get(albumId, photoId)?.decision;
  }

  /** The photos the photographer kept out of the album. */
  keptOut(albumId: number): number[] {
    return this.decisionsStmt
      .all(albumId)
      .filter((d) => d.decision === 'keep-out')
      .map((d) => d.photoId);
  }

  /** Whether the photo is in the album, and its relevance when the search put it there. */
  member(albumId: number, photoId: number): { relevance: number | null } | undefined {
    return this.memberStmt.get(albumId, photoId);
  }

  /**
   * Makes the album's membership the search's matches plus its pins, less its keep-outs, in one transaction:
   * a photo the search no longer returns leaves unless pinned; a kept-out photo is never added.
   */
  apply(albumId: number, matches: readonly SmartMatch[], now = Date.now()): SmartUpdate {
    return this.db.transaction(() => {
      const decisions = new Map(this.decisionsStmt.all(albumId).map((d) => [d.photoId, d.decision]));
      const matched = new Set(matches.map((m) => m.photoId));
      const before = new Set(this.membersStmt.all(albumId).map((r) => r.photoId));
      let added = 0;
      let removed = 0;
      for (const photoId of before) {
        if (matched.has(photoId)) continue;
        if (decisions.get(photoId) === 'pin') this.clearRelevanceStmt.run(albumId, photoId);
        else removed += this.dropStmt.run(albumId, photoId).changes;
      }
      for (const m of matches) {
        if (decisions.get(m.photoId) === 'keep-out') continue;
        this.upsertMatchStmt.run({ albumId, photoId: m.photoId, relevance: m.relevance, now });
        if (!before.has(m.photoId)) added++;
      }
      this.updatedStmt.run(now, albumId);
      return { added, removed };
    })();
  }

  /**
   * The keeper of a duplicate group takes the copies' decisions on smart albums where it has none of its own
   * (caller's transaction): a copy pinned in pins the keeper, a copy kept out keeps it out.
   */
  carry(keeperId: number, fromIds: readonly number[], now = Date.now()): void {
    const own = new Set(this.decisionsOfPhotoStmt.all(keeperId).map((d) => d.albumId));
    for (const from of fromIds) {
      if (from === keeperId) continue;
      for (const { albumId, decision } of this.decisionsOfPhotoStmt.all(from)) {
        if (own.has(albumId)) continue;
        own.add(albumId);
        this.decide(albumId, keeperId, decision, now);
        if (decision === 'keep-out') this.dropStmt.run(albumId, keeperId);
      }
    }
  }
}
