import type { Migration } from './migration.js';

/**
 * Smart albums (app/albums/smart-albums.ts): an album defined by a search. `smart_query` (the search text,
 * negatives included) and `smart_filters` (the grid's filters, JSON) are NULL for a hand album. Membership is
 * materialised in `album_photos` like a hand album's, so the grid's album filter and counts read one table;
 * `relevance` is a search match's relevance at the last update (NULL for photos put there by hand).
 * `album_decisions` keeps what the photographer decided on a smart album: a photo pinned in stays whatever the
 * search returns, a photo kept out is never added back; the background update never writes this table.
 * Both follow the photo's id (moves, renames) and are carried to a duplicate's keeper (Catalog.carryOver).
 */
export const smartAlbums: Migration = {
  version: 12,
  name: 'smart-albums',
  up: `
    ALTER TABLE albums ADD COLUMN smart_query TEXT;
    ALTER TABLE albums ADD COLUMN smart_filters TEXT;
    ALTER TABLE albums ADD COLUMN smart_updated_at INTEGER;
    ALTER TABLE album_photos ADD COLUMN relevance REAL;

    CREATE TABLE album_decisions (
      album_id INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
      photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
      decision TEXT NOT NULL CHECK (decision IN ('pin', 'keep-out')),
      decided_at INTEGER NOT NULL,
      PRIMARY KEY (album_id, photo_id)
    ) WITHOUT ROWID;
    CREATE INDEX album_decisions_by_photo ON album_decisions(photo_id);
  `,
};
