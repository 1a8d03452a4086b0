import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Catalog } from '../catalog/catalog.js';

export const MEDIA_SIZES = ['grid', 'preview', 'original'] as const;
export type MediaSize = (typeof MEDIA_SIZES)[number];

/** Long side in pixels of the generated sizes: a grid cell on a high-density screen, and the viewer. */
const LONG_SIDE: Record<Exclude<MediaSize, 'original'>, number> = { grid: 320, preview: 1600 };
/** Originals in these formats are shown as they are; others (TIFF, for one) get the preview instead. */
const BROWSER_FORMATS = new Set(['jpeg', 'png', 'webp', 'avif', 'gif']);
const CONTENT_TYPE: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif', gif: 'image/gif' };

export interface MediaFile {
  file: string;
  contentType: string;
}

/**
 * [Note: media only from the catalog] The image a window may show for a photo id: the original file when a
 * browser can display it, else a generated WebP. Only ids in the catalog resolve, so the media route can never
 * be used to read an arbitrary path. Generated sizes are cached in the library by content hash (a moved photo
 * keeps them) and written atomically (temp file + rename), so a half-written image is never served.
 */
export async function mediaFile(catalog: Catalog, libraryDir: string, id: number, size: MediaSize): Promise<MediaFile | undefined> {
  const photo = catalog.photos.byId(id);
  if (!photo) return undefined;
  if (size === 'original' && BROWSER_FORMATS.has(photo.format)) return { file: photo.path, contentType: CONTENT_TYPE[photo.format]! };
  const generated = size === 'original' ? 'preview' : size;
  const cached = path.join(libraryDir, 'cache', 'media', photo.contentHash.slice(0, 2), `${photo.contentHash}-${generated}.webp`);
  if (!fs.existsSync(cached)) {
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    const temp = `${cached}.${process.pid}.tmp`;
    await sharp(photo.path, { failOn: 'none' })
      .rotate()
      .resize({ width: LONG_SIDE[generated], height: LONG_SIDE[generated], fit: 'inside', withoutEnlargement: true })
      .webp({ quality: generated === 'grid' ? 70 : 82 })
      .toFile(temp);
    fs.renameSync(temp, cached);
  }
  return { file: cached, contentType: 'image/webp' };
}
