import type { Migration } from './migration.js';

/** Folders, photos, per-file errors, models (each with its own vec0 table, see embeddings.ts), settings. */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up: `
    CREATE TABLE folders (
      id INTEGER PRIMARY KEY,
      path TEXT NOT NULL UNIQUE,
      added_at INTEGER NOT NULL,
      last_indexed_at INTEGER
    );

    CREATE TABLE photos (
      id INTEGER PRIMARY KEY,
      path TEXT NOT NULL UNIQUE,
      folder_id INTEGER REFERENCES folders(id) ON DELETE SET NULL,
      size INTEGER NOT NULL,
      mtime_ms INTEGER NOT NULL,
      content_hash TEXT NOT NULL,
      format TEXT NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      taken_at TEXT,
      camera_make TEXT,
      camera_model TEXT,
      added_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX photos_by_hash ON photos(content_hash);
    CREATE INDEX photos_by_folder ON photos(folder_id);
    CREATE INDEX photos_by_taken_at ON photos(taken_at);

    CREATE TABLE file_errors (
      path TEXT PRIMARY KEY,
      folder_id INTEGER REFERENCES folders(id) ON DELETE CASCADE,
      stage TEXT NOT NULL,
      message TEXT NOT NULL,
      at INTEGER NOT NULL
    );

    CREATE TABLE models (
      id INTEGER PRIMARY KEY,
      key TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      dim INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    );

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `,
};
