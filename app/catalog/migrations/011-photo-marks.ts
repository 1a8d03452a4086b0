import type { Migration } from './migration.js';

/**
 * Culling marks beside the star rating migration 003 added (app/marks/): a pick/reject flag and a colour
 * label. `marks_by_user` is 1 once the photographer set any of the three in Shoebox: from then on re-reading
 * the file (a changed photo is re-indexed) never overwrites them, as with tag decisions.
 * The rating column keeps 0–5 (or NULL): a file's "rejected" rating of -1 becomes flag = 'reject'.
 */
export const photoMarks: Migration = {
  version: 11,
  name: 'photo-marks',
  up: `
    ALTER TABLE photos ADD COLUMN flag TEXT CHECK (flag IN ('pick', 'reject'));
    ALTER TABLE photos ADD COLUMN label TEXT CHECK (label IN ('red', 'yellow', 'green', 'blue', 'purple'));
    ALTER TABLE photos ADD COLUMN marks_by_user INTEGER NOT NULL DEFAULT 0;
  `,
};
