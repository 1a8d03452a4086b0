import fs from 'node:fs';
import path from 'node:path';
import { rgbaToThumbHash, thumbHashToDataURL } from 'thumbhash';
import { boxAverage, type RgbImage } from './box-average.js';
import type { DecodedPhoto } from './decode.js';
import { DEFAULT_MAX_PIXELS, uprightSource } from './decode.js';
import { loadSharp } from '../util/heavy-modules.js';

/**
 * [Note: thumbnails]
 * Two sizes per photo, JPEG, in `<library>/cache/thumbs/<aa>/<hash>-<size>.jpg`, named by content hash so a
 * moved or renamed photo (same bytes) keeps its thumbnails and identical copies share one set.
 * - grid (320 px long side) and the thumbhash placeholder are cut at ingest from the working image the
 *   indexer already decoded (see [Note: decode once]): no extra read, no extra decode.
 * - preview (1600 px) needs more pixels than the working image has; decoding every photo that large would
 *   roughly double ingest time (JPEG shrink-on-load cannot shrink as far), so it is rendered from the
 *   original on first request and kept.
 * JPEG rather than WebP: at 320 px libjpeg-turbo encodes in ~1 ms where libwebp took 7–9 ms (a third of the
 * whole decode on 5 MP photos, measured), for files about a third larger; every renderer shows both.
 * The placeholder is computed from the 320 px image, not the working image, for the same reason, by box
 * averages in JavaScript (a third libvips pipeline per photo cost more to set up than the arithmetic).
 * Files are written to a temporary name and renamed, so a crash never leaves a half-written thumbnail.
 */
export type ThumbnailSize = 'grid' | 'preview';

export const THUMBNAIL_LONG_SIDE: Readonly<Record<ThumbnailSize, number>> = { grid: 320, preview: 1600 };
const JPEG_QUALITY: Readonly<Record<ThumbnailSize, number>> = { grid: 78, preview: 82 };
/** thumbhash encodes at most 100 × 100 pixels. */
const THUMBHASH_SIDE = 100;

export function thumbnailPath(thumbsDir: string, contentHash: string, size: ThumbnailSize): string {
  // `xxh128:abcd…` → `xxh128-abcd…`: the algorithm stays in the name, the colon stays out of file systems.
  const name = contentHash.replace(/[^A-Za-z0-9]/g, '-');
  const hex = contentHash.slice(contentHash.indexOf(':') + 1);
  return path.join(thumbsDir, hex.slice(0, 2) || '00', `${name}-${size}.jpg`);
}

export interface GridThumbnail {
  jpeg: Buffer;
  thumbhash: Uint8Array;
}

/**
 * The grid thumbnail and the placeholder, from the upright working image (already RGB, alpha flattened), and
 * the thumbnail's pixels before JPEG: the fixed-size image the hashes are computed from (see
 * [Note: hashes from the grid thumbnail]).
 */
export async function gridFromWorkingImage(decoded: RgbImage): Promise<GridThumbnail & { image: RgbImage }> {
  const raw = { raw: { width: decoded.width, height: decoded.height, channels: 3 as const } };
  const long = THUMBNAIL_LONG_SIDE.grid;
  const sharp = await loadSharp(); // see [Note: heavy modules on first use]
  const { data, info } = await sharp(decoded.pixels, raw)
    .resize(long, long, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const image = { pixels: data, width: info.width, height: info.height };
  const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).jpeg({ quality: JPEG_QUALITY.grid }).toBuffer();
  return { jpeg, thumbhash: thumbhashOf(image), image };
}

/** Renders one size straight from the original file's bytes, upright; plus the placeholder for a grid render. */
export async function renderFromOriginal(bytes: Uint8Array, size: ThumbnailSize): Promise<{ jpeg: Buffer; thumbhash: Uint8Array }> {
  const long = THUMBNAIL_LONG_SIDE[size];
  const input = { failOn: 'error' as const, limitInputPixels: DEFAULT_MAX_PIXELS, animated: false };
  const sharp = await loadSharp();
  // Upright like the photo: the EXIF orientation applied (`autoOrient`), or HEIC decoded upright by libheif.
  const meta = await sharp(bytes, input).metadata();
  const { data, info } = await (await uprightSource(bytes, meta, input)).image
    .resize(long, long, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: { r: 255, g: 255, b: 255 } })
    .toColourspace('srgb')
    .removeAlpha() // three channels, as thumbhashOf reads them
    .raw()
    .toBuffer({ resolveWithObject: true });
  const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).jpeg({ quality: JPEG_QUALITY[size] }).toBuffer();
  return { jpeg, thumbhash: thumbhashOf({ pixels: data, width: info.width, height: info.height }) };
}

/** thumbhash of an RGB image, from its box averages at most THUMBHASH_SIDE a side (thumbhash's limit). */
function thumbhashOf(image: RgbImage): Uint8Array {
  const scale = Math.min(1, THUMBHASH_SIDE / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const rgb = boxAverage(image, width, height);
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = Math.round(rgb[i * 3]!);
    rgba[i * 4 + 1] = Math.round(rgb[i * 3 + 1]!);
    rgba[i * 4 + 2] = Math.round(rgb[i * 3 + 2]!);
    rgba[i * 4 + 3] = 255;
  }
  return rgbaToThumbHash(width, height, rgba);
}

/** A `data:image/png` URL of the blurred placeholder the renderer can show before the thumbnail loads. */
export function placeholderDataUrl(thumbhash: Uint8Array): string {
  return thumbHashToDataURL(thumbhash);
}

/** Writes `bytes` to `file` unless it exists; atomic (temp file + rename). Returns true when it wrote. */
export async function writeOnce(file: string, bytes: Uint8Array): Promise<boolean> {
  if (fs.existsSync(file)) return false;
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await fs.promises.writeFile(temp, bytes);
  await fs.promises.rename(temp, file);
  return true;
}
