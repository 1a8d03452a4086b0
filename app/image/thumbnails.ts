import fs from 'node:fs';
import path from 'node:path';
import { rgbaToThumbHash, thumbHashToDataURL } from 'thumbhash';
import { boxAverage, type RgbImage } from './box-average.js';
import type { DecodedPhoto } from './decode.js';
import { DEFAULT_MAX_PIXELS, shortestSideTo, uprightSource } from './decode.js';
import { loadSharp } from '../util/heavy-modules.js';

/**
 * [Note: thumbnails]
 * Two sizes per photo, JPEG, in `<library>/cache/thumbs/<aa>/<hash>-<size>.jpg`, named by content hash so a
 * moved or renamed photo (same bytes) keeps its thumbnails and identical copies share one set.
 * - grid (224 px on the short side, see [Note: grid thumbnail at the model's resize]) and the thumbhash
 *   placeholder are cut at ingest from the working image the indexer already decoded (see [Note: decode
 *   once]): no extra read, no extra decode.
 * - preview (1600 px long side) needs more pixels than the working image has; decoding every photo that large
 *   would roughly double ingest time (JPEG shrink-on-load cannot shrink as far), so it is rendered from the
 *   original on first request and kept.
 * JPEG rather than WebP: at grid size libjpeg-turbo encodes in ~1 ms where libwebp took 7–9 ms (a third of the
 * whole decode on 5 MP photos, measured), for files about a third larger; every renderer shows both.
 * The placeholder is computed from the grid image by box averages in JavaScript (a third libvips pipeline per
 * photo cost more to set up than the arithmetic).
 * Files are written to a temporary name and renamed, so a crash never leaves a half-written thumbnail.
 *
 * [Note: grid thumbnail at the model's resize]
 * The grid shows square cells (object-fit: cover), so what a grid thumbnail needs is its short side. It is 224
 * px there: what every CLIP ViT's resize step produces, so for those packs the working image is the grid
 * thumbnail and no resize runs for it (see [Note: one pipeline instead of three]). Against the 320 px long
 * side used before, a 16:10 or 3:2 photo's short side grows (200 or 213 → 224), a 4:3 one's shrinks a little
 * (240 → 224) and a square one's shrinks (320 → 224): the cell shows about the same detail for the common
 * camera aspects. A pack with another resize edge (336, 384) gets one resize to the same 224, so the hashes
 * computed from this image (see [Note: hashes from the grid thumbnail]) never depend on the model. The long
 * side is capped at four times the short one (a panorama keeps a sane file), and photos smaller than 224 are
 * kept at their size, except that the model's resize enlarges them already (then the grid shows that copy).
 */
export type ThumbnailSize = 'grid' | 'preview';

/** The grid thumbnail's short side (see [Note: grid thumbnail at the model's resize]). */
export const GRID_SHORT_SIDE = 224;
/** A panorama's grid thumbnail stops at this long side: four cells' worth of a 224 px short side. */
const GRID_MAX_LONG_SIDE = 4 * GRID_SHORT_SIDE;
const PREVIEW_LONG_SIDE = 1600;
/**
 * JPEG settings per size. The grid thumbnail is written with libjpeg-turbo's standard Huffman tables, not tables
 * optimised per image (sharp's default): the optimising pass is a second walk over the coefficients, and every
 * photo the indexer stores pays for it. On the 23 real photos at 224 px (same process, interleaved): 3.00 → 2.07
 * ms CPU an encode, 1.5 ms of which is the pipeline itself, for files 4.7 % larger (~0.6 KB a photo). Previews,
 * rendered once on request at 1600 px, keep the smaller files.
 */
const JPEG_OPTIONS: Readonly<Record<ThumbnailSize, { quality: number; optimiseCoding: boolean }>> = {
  grid: { quality: 78, optimiseCoding: false },
  preview: { quality: 82, optimiseCoding: true },
};
/**
 * The placeholder's source: box averages at most 32 px a side. thumbhash keeps at most 7 cosine terms per side
 * for luma (fewer for colour), which 32 samples a side resolve; at its 100 px limit it cost ~1 ms a photo, at 32
 * ~0.06 ms, and the decoded placeholders differ by at most 3.2 grey levels mean (its own quantisation steps;
 * 23 real photos, measured).
 */
const THUMBHASH_SIDE = 32;

/** The grid thumbnail's size for an upright image, never enlarged (see [Note: grid thumbnail at the model's resize]). */
export function gridSize(width: number, height: number): [number, number] {
  const [w, h] = shortestSideTo(width, height, GRID_SHORT_SIDE);
  const long = Math.max(w, h);
  if (long <= GRID_MAX_LONG_SIDE) return [w, h];
  const scale = GRID_MAX_LONG_SIDE / long;
  return [Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale))];
}

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
 * [Note: hashes from the grid thumbnail]). At the model's usual resize edge the working image is that image.
 */
export async function gridFromWorkingImage(decoded: RgbImage): Promise<GridThumbnail & { image: RgbImage }> {
  const sharp = await loadSharp(); // see [Note: heavy modules on first use]
  const [width, height] = gridSize(decoded.width, decoded.height);
  let image: RgbImage = decoded;
  if (width !== decoded.width || height !== decoded.height) {
    const { data } = await sharp(decoded.pixels, { raw: { width: decoded.width, height: decoded.height, channels: 3 } })
      .resize(width, height, { fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    image = { pixels: data, width, height };
  }
  const jpeg = await sharp(image.pixels, { raw: { width, height, channels: 3 } }).jpeg(JPEG_OPTIONS.grid).toBuffer();
  return { jpeg, thumbhash: thumbhashOf(image), image };
}

/** Renders one size straight from the original file's bytes, upright; plus the placeholder for a grid render. */
export async function renderFromOriginal(bytes: Uint8Array, size: ThumbnailSize): Promise<{ jpeg: Buffer; thumbhash: Uint8Array }> {
  const input = { failOn: 'error' as const, limitInputPixels: DEFAULT_MAX_PIXELS, animated: false };
  const sharp = await loadSharp();
  // Upright like the photo: the EXIF orientation applied (`autoOrient`), or HEIC decoded upright by libheif.
  const meta = await sharp(bytes, input).metadata();
  const source = await uprightSource(bytes, meta, input);
  const resized = size === 'grid'
    ? source.image.resize(...gridSize(source.width, source.height), { fit: 'fill' })
    : source.image.resize(PREVIEW_LONG_SIDE, PREVIEW_LONG_SIDE, { fit: 'inside', withoutEnlargement: true });
  const { data, info } = await resized
    .flatten({ background: { r: 255, g: 255, b: 255 } })
    .toColourspace('srgb')
    .removeAlpha() // three channels, as thumbhashOf reads them
    .raw()
    .toBuffer({ resolveWithObject: true });
  const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).jpeg(JPEG_OPTIONS[size]).toBuffer();
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
