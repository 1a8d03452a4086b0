import type { Migration } from './migration.js';

/**
 * The live library: a tiny thumbhash placeholder per photo (the grid and preview images themselves live as
 * files in `<library>/cache/thumbs`, see image/thumbnails.ts); when a watched root was last found offline
 * (an unplugged drive keeps its photos, see indexer/roots.ts); and the persistent per-file job queue
 * (see catalog/index-jobs.ts) that lets an interrupted import resume and retries transient read errors; and
 * the second file of a RAW+JPEG pair (see catalog/photo-files.ts).
 */
export const liveLibrary: Migration = {
  version: 5,
  name: 'live-library',
  up: `
    ALTER TABLE photos ADD COLUMN thumbhash BLOB;

    ALTER TABLE folders ADD COLUMN offline_since INTEGER;

    CREATE TABLE index_jobs (
      path TEXT PRIMARY KEY,
      folder_id INTEGER REFERENCES folders(id) ON DELETE CASCADE,
      state TEXT NOT NULL CHECK (state IN ('pending', 'processing', 'done', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL DEFAULT 0,
      reason TEXT,
      size INTEGER,
      mtime_ms INTEGER,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX index_jobs_by_state ON index_jobs(state, next_attempt_at);

    CREATE TABLE photo_files (
      path TEXT PRIMARY KEY,
      photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
      role TEXT NOT NULL CHECK (role IN ('raw')),
      size INTEGER NOT NULL,
      mtime_ms INTEGER NOT NULL
    );
    CREATE INDEX photo_files_by_photo ON photo_files(photo_id);
  `,
};
