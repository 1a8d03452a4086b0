import type { Migration } from './migration.js';

/**
 * Tags (see app/tagging/): the vocabulary's and the user's tags with their hierarchy, each photo's tags with
 * score, source and the user's decision, and the ensembled text vector of each tag per model.
 */
export const tags: Migration = {
  version: 4,
  name: 'tags',
  up: `
    CREATE TABLE tags (
      id INTEGER PRIMARY KEY,
      -- full hierarchy joined with ' > ' ("Nature > Beach"); unique, case-insensitively
      key TEXT NOT NULL UNIQUE COLLATE NOCASE,
      name TEXT NOT NULL,
      -- JSON array of prompts the text tower embeds; NULL for tags that only come from keywords or the user
      prompts TEXT,
      -- 1 while the tag is part of the active vocabulary (scored by auto-tagging)
      in_vocabulary INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX tags_by_name ON tags(name COLLATE NOCASE);

    CREATE TABLE photo_tags (
      photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
      tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
      -- calibrated confidence in [0, 1] for auto tags; 1 for the user's own
      score REAL NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('auto', 'user')),
      state TEXT NOT NULL CHECK (state IN ('suggested', 'accepted', 'rejected', 'pinned')),
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (photo_id, tag_id)
    ) WITHOUT ROWID;
    CREATE INDEX photo_tags_by_tag ON photo_tags(tag_id, state);

    CREATE TABLE tag_vectors (
      tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
      model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
      -- hash of the prompts the vector was made from: changed prompts make a new vector
      prompts_hash TEXT NOT NULL,
      vector BLOB NOT NULL,
      PRIMARY KEY (tag_id, model_id)
    ) WITHOUT ROWID;
  `,
};
