import type { Migration } from './migration.js';

/** Exposure, lens, location and rating from EXIF/XMP, read at ingest (see image/metadata.ts). */
export const exposureMetadata: Migration = {
  version: 3,
  name: 'exposure-metadata',
  up: `
    ALTER TABLE photos ADD COLUMN lens TEXT;
    ALTER TABLE photos ADD COLUMN focal_length REAL;
    ALTER TABLE photos ADD COLUMN aperture REAL;
    ALTER TABLE photos ADD COLUMN exposure_time REAL;
    ALTER TABLE photos ADD COLUMN iso INTEGER;
    ALTER TABLE photos ADD COLUMN gps_latitude REAL;
    ALTER TABLE photos ADD COLUMN gps_longitude REAL;
    ALTER TABLE photos ADD COLUMN orientation INTEGER;
    ALTER TABLE photos ADD COLUMN rating INTEGER;
  `,
};
