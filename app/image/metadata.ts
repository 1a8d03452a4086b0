import exifr from 'exifr';

/** What the catalog keeps from a photo's embedded metadata at this stage. */
export interface PhotoMetadata {
  /** ISO 8601 local time as the camera wrote it ("2015-06-21T02:05:56"), or null. */
  takenAt: string | null;
  cameraMake: string | null;
  cameraModel: string | null;
}

const NONE: PhotoMetadata = { takenAt: null, cameraMake: null, cameraModel: null };

/**
 * Reads capture time and camera from EXIF with exifr (it parses only the segments asked for). Values are
 * kept as written (`reviveValues: false`): EXIF times carry no zone, and turning them into a Date would
 * silently apply this machine's zone. Broken metadata never fails the photo; it just yields nulls.
 */
export async function readMetadata(bytes: Uint8Array): Promise<PhotoMetadata> {
  try {
    const tags = (await exifr.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      pick: ['DateTimeOriginal', 'CreateDate', 'Make', 'Model'],
      reviveValues: false,
    })) as Record<string, unknown> | undefined;
    if (!tags) return NONE;
    return {
      takenAt: exifTime(tags['DateTimeOriginal']) ?? exifTime(tags['CreateDate']),
      cameraMake: text(tags['Make']),
      cameraModel: text(tags['Model']),
    };
  } catch {
    return NONE;
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
