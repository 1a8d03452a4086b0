import type { Core } from '../core.js';
import { hasRawBytes } from '../util/fs-names.js';

export const MEDIA_SIZES = ['grid', 'preview', 'original'] as const;
export type MediaSize = (typeof MEDIA_SIZES)[number];

/** Originals in these formats are shown as they are; others (TIFF, HEIC, RAW) get the preview instead. */
const BROWSER_FORMATS = new Set(['jpeg', 'png', 'webp', 'avif', 'gif']);
const CONTENT_TYPE: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif', gif: 'image/gif' };

export interface MediaFile {
  file: string;
  contentType: string;
}

/**
 * [Note: media only from the catalog] The image a window may show for a photo id: the grid thumbnail or the
 * preview (JPEG files made once in the library's cache, see [Note: thumbnails]), or the original file when a
 * browser can display it. Only ids in the catalog resolve, so the media route can never be used to read an
 * arbitrary path. An original whose name is not UTF-8 is shown through its preview: both consumers open
 * `file` as a string (the desktop as a file: URL), which cannot name it (see [Note: file names that are not
 * UTF-8]); the cache's own names are always plain.
 */
export async function mediaFile(core: Core, id: number, size: MediaSize): Promise<MediaFile | undefined> {
  const photo = core.catalog.photos.byId(id);
  if (!photo) return undefined;
  if (size === 'original' && BROWSER_FORMATS.has(photo.format) && !hasRawBytes(photo.path)) return { file: photo.path, contentType: CONTENT_TYPE[photo.format]! };
  return { file: await core.thumbnailFile(id, size === 'original' ? 'preview' : size), contentType: 'image/jpeg' };
}
