import type { Migration } from './migration.js';

/**
 * A picture signature per photo (image/picture-signature.ts: 32×32 grey and colour thumbnails, 1 216
 * bytes at version 1, 1 792 at version 2), the model-free evidence the duplicate finder verifies each candidate pair with (see
 * [Note: pair verification]). A table of its own, not a column of `photos`: the grid and every listing read
 * photo rows, and only the duplicate scan needs these bytes. `version` is the signature's
 * (SIGNATURE_VERSION): a row of another version, or a photo without a row (indexed before this migration),
 * gets its signature from its grid thumbnail at the next scan (duplicates/signature-source.ts).
 */
export const pictureSignatures: Migration = {
  version: 9,
  name: 'picture-signatures',
  up: `
    CREATE TABLE photo_signatures (
      photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
      version INTEGER NOT NULL,
      signature BLOB NOT NULL
    );
  `,
};
