import type { Migration } from './migration.js';

/**
 * Per-photo perceptual hash (64-bit dHash as 16 hex digits) and sharpness, both computed at ingest from the
 * one decode (see [Note: decode once]); and the pairs a photographer marked "not duplicates".
 * Photos indexed before this have NULL and are re-decoded on the next index run.
 */
export const perceptualHash: Migration = {
  version: 2,
  name: 'perceptual-hash',
  up: `
    ALTER TABLE photos ADD COLUMN dhash TEXT;
    ALTER TABLE photos ADD COLUMN sharpness REAL;

    CREATE TABLE not_duplicates (
      photo_a INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
      photo_b INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
      at INTEGER NOT NULL,
      PRIMARY KEY (photo_a, photo_b),
      CHECK (photo_a < photo_b)
    );
  `,
};
