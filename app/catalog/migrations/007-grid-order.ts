import type { Migration } from './migration.js';

/**
 * The library grid's order: newest first by capture time, by file time for photos without one, ties by id
 * (see PhotoStore.page). An index on that exact expression lets a page be a short range read at any depth
 * (keyset pagination) instead of a sort of the whole table: this is what makes the first page of a
 * 100 000-photo grid cheap at start-up. The expression must stay identical to GRID_KEY in photos.ts.
 *
 * The quantized search tables (vec_model_<id>_bits) are not made here: vec0 tables exist per model and
 * are created, and filled from the float vectors, when a model's EmbeddingStore opens (see
 * [Note: quantized first pass]), so a catalog upgraded from an older version builds them on first use.
 */
export const gridOrder: Migration = {
  version: 7,
  name: 'grid-order',
  up: `
    CREATE INDEX photos_grid_order ON photos(
      coalesce(taken_at, strftime('%Y-%m-%dT%H:%M:%S', mtime_ms / 1000, 'unixepoch')) DESC, id DESC
    );
  `,
};
