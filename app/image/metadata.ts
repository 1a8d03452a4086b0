import { loadExifr } from '../util/heavy-modules.js';

/** What the catalog keeps from a photo's embedded metadata at this stage. */
export interface PhotoMetadata {
  /** ISO 8601 local time as the camera wrote it ("2015-06-21T02:05:56"), or null. */
  takenAt: string | null;
  cameraMake: string | null;
  cameraModel: string | null;
  lens: string | null;
  /** Millimetres, as recorded (not 35 mm equivalent). */
  focalLength: number | null;
  /** f-number. */
  aperture: number | null;
  /** Seconds. */
  exposureTime: number | null;
  iso: number | null;
  gpsLatitude: number | null;
  gpsLongitude: number | null;
  /** EXIF orientation 1–8 of the file (pixels are always stored upright by the decoder). */
  orientation: number | null;
  /** XMP rating, -1 (rejected) to 5. */
  rating: number | null;
}

/** A photo without metadata (also what unreadable metadata yields). */
export const EMPTY_METADATA: PhotoMetadata = {
  takenAt: null, cameraMake: null, cameraModel: null, lens: null, focalLength: null, aperture: null, exposureTime: null,
  iso: null, gpsLatitude: null, gpsLongitude: null, orientation: null, rating: null,
};

/**
 * Reads capture time and camera from EXIF with exifr (it parses only the segments asked for). Values are
 * kept as written (`reviveValues: false`): EXIF times carry no zone, and turning them into a Date would
 * silently apply this machine's zone. Broken metadata never fails the photo; it just yields nulls.
 */
export async function readMetadata(bytes: Uint8Array): Promise<PhotoMetadata> {
  const exifr = await loadExifr(); // see [Note: heavy modules on first use]
  try {
    const tags = (await exifr.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      pick: ['DateTimeOriginal', 'CreateDate', 'Make', 'Model', 'LensModel', 'FocalLength', 'FNumber', 'ExposureTime', 'ISO',
        'latitude', 'longitude', 'GPSLatitude', 'GPSLongitude', 'GPSLatitudeRef', 'GPSLongitudeRef', 'Orientation', 'Rating'],
      xmp: true,
      reviveValues: false,
      translateValues: false,
    })) as Record<string, unknown> | undefined;
    if (!tags) return EMPTY_METADATA;
    return {
      takenAt: exifTime(tags['DateTimeOriginal']) ?? exifTime(tags['CreateDate']),
      cameraMake: text(tags['Make']),
      cameraModel: text(tags['Model']),
      lens: text(tags['LensModel']),
      // 0 is what cameras write for "unknown" (manual lenses): not a value.
      focalLength: positive(tags['FocalLength']),
      aperture: positive(tags['FNumber']),
      exposureTime: positive(tags['ExposureTime']),
      iso: num(tags['ISO']),
      gpsLatitude: num(tags['latitude']) ?? degrees(tags['GPSLatitude'], tags['GPSLatitudeRef'], 'S'),
      gpsLongitude: num(tags['longitude']) ?? degrees(tags['GPSLongitude'], tags['GPSLongitudeRef'], 'W'),
      orientation: num(tags['Orientation']),
      rating: num(tags['Rating']),
    };
  } catch {
    return EMPTY_METADATA;
  }
}

/** "2015:06:21 02:05:56" → "2015-06-21T02:05:56"; anything else → null. */
export function exifTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (!m || m[1] === '0000') return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // Some cameras pad with NULs and junk after them ("Nokia\u00002").
  const clean = value.split('\u0000')[0]!.trim();
  return clean || null;
}

function num(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? Math.round(n * 1e6) / 1e6 : null;
}

/** EXIF GPS [degrees, minutes, seconds] and its N/S or E/W reference → signed decimal degrees. */
function degrees(dms: unknown, ref: unknown, negative: 'S' | 'W'): number | null {
  if (!Array.isArray(dms) || dms.length !== 3 || !dms.every((x) => typeof x === 'number' && Number.isFinite(x))) return null;
  const [d, m, s] = dms as [number, number, number];
  const value = d + m / 60 + s / 3600;
  return num(typeof ref === 'string' && ref.trim().toUpperCase() === negative ? -value : value);
}

function positive(value: unknown): number | null {
  const n = num(value);
  return n !== null && n > 0 ? n : null;
}
