import type { Migration } from './migration.js';

/**
 * Albums the photographer makes by hand (app/albums/). Membership is keyed by the photo's id, not its path,
 * so it follows the photo through moves and renames (the indexer keeps the id of a file whose bytes moved),
 * and it is carried to the keeper when duplicates are resolved (Catalog.carryOver); a photo that leaves the
 * library leaves its albums with it (ON DELETE CASCADE).
 */
export const albums: Migration = {
  version: 10,
  name: 'albums',
  up: `
    CREATE TABLE albums (
      id INTEGER PRIMARY KEY,
      -- unique, case-insensitively: the CLI names albums by name
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );

    CREATE TABLE album_photos (
      album_id INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
      photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
      added_at INTEGER NOT NULL,
      PRIMARY KEY (album_id, photo_id)
    ) WITHOUT ROWID;
    CREATE INDEX album_photos_by_photo ON album_photos(photo_id);
  `,
};
